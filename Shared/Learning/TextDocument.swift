/// What a text model reads of a paper: its title and its abstract, apart, so that a model may
/// weigh a word of the title differently from the same word in the abstract.
public struct TextDocument: Sendable, Equatable {
    public var title: String
    public var body: String

    public init(title: String, body: String) {
        (self.title, self.body) = (title, body)
    }

    /// A text with no title (all of it is body).
    public init(_ text: String) {
        (title, body) = ("", text)
    }
}
