import Foundation

/// A calendar day as arXiv's metadata writes it (`2007-04-02`): midnight UTC, or nil for
/// anything else (`20-1-1`, `2007-02-30`, a timestamp).
public enum ArxivDay {
    public static func date(_ text: some StringProtocol) -> Date? {
        let bytes = Array(text.utf8)
        let digits = [0, 1, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              digits.allSatisfy({ bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }),
              let year = Int(text.prefix(4)), let month = Int(text.dropFirst(5).prefix(2)), let day = Int(text.suffix(2)),
              (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: year, month: month, day: day)
        // Calendar rolls 2007-02-30 over to March; a day that does not exist is not a day.
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
