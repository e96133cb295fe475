import MailCore

/// Finds a caught message's Subject while the message passes, for the inbox: line by line after
/// DATA, or from the first 64 KiB of a message sent in BDAT chunks. Folded Subjects are unfolded
/// (RFC 5322 §2.2.3), since a long or encoded Subject comes in several lines; encoded words are
/// left as they are. Bounded: at most `limit` bytes of Subject are kept.
struct SubjectReader: Sendable {
    /// The longest Subject kept, in bytes.
    static let limit = 16 * 1024
    /// How much of a BDAT message's start is kept to look in.
    static let headerLimit = 64 * 1024

    /// The Subject read from DATA lines; nil past the header when there was none.
    private var lineSubject: String?
    private var inHeader = true
    /// True while the lines after the Subject may fold it on.
    private var folds = false
    /// The start of a message sent by BDAT.
    private var header: [UInt8] = []

    /// The Subject found, unfolded.
    var subject: String? { header.isEmpty ? lineSubject : Self.subject(inHeader: header) }

    /// One line of a message after DATA, without its CR LF and dot-stuffing.
    mutating func line(_ content: ArraySlice<UInt8>) {
        guard inHeader else { return }
        if content.isEmpty {
            inHeader = false
        } else if folds, content.first == 32 || content.first == 9 {
            let room = Self.limit - (lineSubject?.utf8.count ?? 0)
            if room > 0 { lineSubject?.append(String(decoding: content.prefix(room), as: UTF8.self)) }
        } else if lineSubject == nil, Self.isSubject(content) {
            lineSubject = String(decoding: content.dropFirst(8), as: UTF8.self).trimmingSpaces
            folds = true
        } else {
            folds = false
        }
    }

    /// Octets of a message sent by BDAT, as they arrive.
    mutating func octets(_ bytes: [UInt8]) {
        if header.count < Self.headerLimit { header += bytes.prefix(Self.headerLimit - header.count) }
    }

    /// The Subject of a message's header, unfolded (encoded words left as they are).
    static func subject(inHeader bytes: [UInt8]) -> String? {
        var found: [UInt8]?
        for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            let text = line.last == 13 ? line.dropLast() : line[...]
            if found != nil {
                guard text.first == 32 || text.first == 9 else { break }
                let room = max(0, limit - (found?.count ?? 0))
                found?.append(contentsOf: text.prefix(room))
                continue
            }
            if text.isEmpty { return nil }
            if isSubject(text) { found = Array(text.dropFirst(8).prefix(limit)) }
        }
        return found.map { String(decoding: $0, as: UTF8.self).trimmingSpaces }
    }

    /// Whether a header line is a non-empty `Subject:` field (any case).
    private static func isSubject(_ text: ArraySlice<UInt8>) -> Bool {
        text.count > 8 && String(decoding: text.prefix(8), as: UTF8.self).lowercased() == "subject:"
    }
}
