/// Words of English scientific prose: lowercased letters and digits, with inner hyphens and
/// apostrophes kept (`x-ray`, `galaxy's` → `galaxy`); LaTeX commands and math are dropped.
public enum Tokenizer {
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var skippingCommand = false
        func flush() {
            var word = current
            while word.last == "-" || word.last == "'" { word.removeLast() }
            if word.hasSuffix("'s") { word.removeLast(2) }
            if !word.isEmpty, word.contains(where: \.isLetter) { words.append(word) }
            current = ""
        }
        for character in text {
            if character == "\\" { flush(); skippingCommand = true; continue }
            if skippingCommand {
                if character.isLetter { continue }
                skippingCommand = false
            }
            if character.isLetter || character.isNumber {
                current.append(contentsOf: character.lowercased())
            } else if (character == "-" || character == "'" || character == "’") && !current.isEmpty {
                current.append(character == "’" ? "'" : character)
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// `words` without English stop words.
    public static func contentWords(_ text: String) -> [String] {
        words(text).filter { !stopWords.contains($0) }
    }

    public static let stopWords: Set<String> = [
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how",
        "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "may", "me", "more", "most", "must", "my", "no",
        "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she",
        "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
        "those", "through", "thus", "to", "too", "under", "until", "up", "upon", "us", "using", "very", "via", "was", "we", "were",
        "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "you", "your",
    ]
}
