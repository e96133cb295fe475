import MailCore

/// A search as Mailpit's search box and its `/api/v1/search?query=` take it, read once so that
/// `mailtui wait` now and the HTTP API later match messages by the same rules:
///
/// - words separated by spaces, each a filter that must hold (AND); `"a phrase"` is one word;
/// - `from:`, `to:`, `cc:`, `bcc:`, `reply-to:`, `addressed:` (any of them), `subject:`,
///   `message-id:`, `tag:`: the text is found, in any case, in that part;
/// - `is:read`, `is:unread`, `is:tagged`, `has:attachment(s)`, `has:inline(s)`;
/// - `after:DATE`, `before:DATE` (see `SearchDate`), `larger:SIZE`, `smaller:SIZE` (`2kb`, `1.5M`);
/// - any other word is found anywhere in the message (headers, text, HTML, attachment names);
/// - a leading `-` or `!` negates a word.
///
/// As in Mailpit, a word without a letter or digit (`(`, `-`) is left out; `ignored` says which.
/// Unlike Mailpit, a query that leaves out a word that meant something (a date that is no date,
/// words past the 64th), keeps no word at all (`"`, `(`, `subject:"`), or leaves a quote open
/// (`subject:"Reset`), has a `problem` and matches nothing: a word left out widens the search, so
/// `wait` would return the wrong mail at once or `DELETE /search` delete what was to be kept.
/// The query is outside input (an HTTP request): it is read in one pass and its size is bounded.
public struct SearchQuery: Sendable, Equatable {
    public enum Filter: Sendable, Equatable {
        case text(String)
        case from(String), to(String), cc(String), bcc(String), replyTo(String), addressed(String)
        case subject(String), messageID(String), tag(String)
        case isRead, isUnread, isTagged, hasAttachment, hasInline
        /// Seconds since 1970.
        case after(Int), before(Int)
        /// Bytes.
        case larger(Int), smaller(Int)
    }

    public struct Term: Sendable, Equatable {
        public var filter: Filter
        public var negated: Bool

        public init(_ filter: Filter, negated: Bool = false) {
            self.filter = filter
            self.negated = negated
        }
    }

    public var terms: [Term] = []
    /// Words left out, each with the reason (`after:soon: not a date`).
    public var ignored: [String] = []
    /// Why the query as a whole means nothing (a quote left open; no word that searches for
    /// anything); the API answers 400 with it and `wait` stops with it. Such a query matches nothing.
    public var problem: SearchProblem?

    /// More than this is cut (a query is a few words; a long one is a mistake or an attack).
    public static let maximumLength = 4096
    public static let maximumTerms = 64

    public init(terms: [Term]) { self.terms = terms }

    /// Reads `text`; dates without a zone are in `utcOffsetSeconds` (nil: this machine's zone).
    public init(_ text: String, utcOffsetSeconds: Int? = nil) {
        let read = String(decoding: text.utf8.prefix(Self.maximumLength), as: UTF8.self)
        let (found, openQuote) = Self.words(read)
        var words = found
        if let openQuote {
            problem = SearchProblem("the quote opened at character \(openQuote + 1) is not closed: close it (subject:\"Password reset\") or leave it out")
        }
        if words.count > Self.maximumTerms {
            ignored.append("\(words.count - Self.maximumTerms) words past the first \(Self.maximumTerms)")
            problem = problem ?? SearchProblem("a search takes at most \(Self.maximumTerms) words; this one has \(words.count): narrow it with fewer, longer phrases")
            words.removeLast(words.count - Self.maximumTerms)
        }
        for word in words {
            var body = Substring(word)
            var negated = false
            if body.count > 1, let first = body.first, first == "-" || first == "!" {
                negated = true
                body = body.dropFirst()
            }
            guard body.contains(where: { $0.isLetter || $0.isNumber }) else {
                if !body.isEmpty { ignored.append("\(word): nothing to search for") }
                continue
            }
            switch Self.filter(String(body), utcOffsetSeconds: utcOffsetSeconds) {
            case .success(let filter?): terms.append(Term(filter, negated: negated))
            case .success(nil): continue
            case .failure(let reason):
                ignored.append("\(word): \(reason)")
                problem = problem ?? SearchProblem("\(word.prefix(80)): \(reason)")
            }
        }
        if problem == nil, terms.isEmpty, read.contains(where: { !$0.isWhitespace }) {
            let why = ignored.isEmpty ? "" : " (" + ignored.joined(separator: "; ") + ")"
            problem = SearchProblem("nothing in \"\(read.prefix(80))\" searches for anything\(why): give a word, a phrase in quotes, or from:, to:, subject:...")
        }
    }

    /// The filter a word (without its negation) names; nil when it names nothing (`to:` alone).
    static func filter(_ word: String, utcOffsetSeconds: Int?) -> Result<Filter?, SearchProblem> {
        let lower = word.lowercased()
        switch lower {
        case "is:read": return .success(.isRead)
        case "is:unread": return .success(.isUnread)
        case "is:tagged": return .success(.isTagged)
        case "has:attachment", "has:attachments": return .success(.hasAttachment)
        case "has:inline", "has:inlines": return .success(.hasInline)
        default: break
        }
        let textFilters: [(String, (String) -> Filter)] = [
            ("from:", Filter.from), ("to:", Filter.to), ("cc:", Filter.cc), ("bcc:", Filter.bcc), ("reply-to:", Filter.replyTo),
            ("addressed:", Filter.addressed), ("subject:", Filter.subject), ("message-id:", Filter.messageID), ("tag:", Filter.tag),
        ]
        for (prefix, make) in textFilters where lower.hasPrefix(prefix) {
            let value = String(word.dropFirst(prefix.count)).trimmingSpaces
            return .success(value.isEmpty ? nil : make(value))
        }
        for (prefix, make) in [("after:", Filter.after), ("before:", Filter.before)] where lower.hasPrefix(prefix) {
            let value = String(word.dropFirst(prefix.count)).trimmingSpaces
            guard !value.isEmpty else { return .success(nil) }
            guard let seconds = SearchDate.seconds(value, utcOffsetSeconds: utcOffsetSeconds) else {
                return .failure(SearchProblem("not a date (2024-05-01, 2024-05-01T09:30, 2024-05-01T09:30:00Z or seconds since 1970)"))
            }
            return .success(make(seconds))
        }
        for (prefix, make) in [("larger:", Filter.larger), ("smaller:", Filter.smaller)] where lower.hasPrefix(prefix) {
            // As Mailpit: a size that does not read is a word to search for.
            if let bytes = Self.bytes(String(lower.dropFirst(prefix.count)).trimmingSpaces) { return .success(make(bytes)) }
        }
        return .success(.text(word))
    }

    /// The words: split at white space outside double quotes, the quotes taken out; and where
    /// (in characters) a quote that is never closed opened, if one did. One pass.
    static func words(_ text: String) -> (words: [String], openQuote: Int?) {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        var quoted = false
        var opened = 0
        for (offset, ch) in text.enumerated() {
            if ch == "\"" {
                inQuotes.toggle()
                if inQuotes { opened = offset }
                quoted = true
                continue
            }
            if ch.isWhitespace && !inQuotes {
                if !current.isEmpty || quoted { words.append(current) }
                current = ""
                quoted = false
                continue
            }
            current.append(ch)
        }
        if !current.isEmpty || quoted { words.append(current) }
        return (words.filter { !$0.trimmingSpaces.isEmpty }, inQuotes ? opened : nil)
    }

    /// `2048`, `2kb`, `1.5M`, `3 mb` in bytes (k and m are 1024 and 1024²), or nil.
    static func bytes(_ text: String) -> Int? {
        var number = ""
        var unit = ""
        for ch in text {
            if unit.isEmpty && (ch.isASCII && (ch.isNumber || ch == ".")) { number.append(ch) } else if ch != " " || !unit.isEmpty { unit.append(ch) }
        }
        guard number.count <= 18, let value = Double(number), value.isFinite, value > 0 else { return nil }
        let factor: Double
        switch unit {
        case "": factor = 1
        case "k", "kb": factor = 1024
        case "m", "mb": factor = 1024 * 1024
        default: return nil
        }
        // 18 digits of megabytes are past Int: such a size is larger than any message anyway.
        return Int(min(value * factor, Double(1 << 62)))
    }
}

/// Why a word of a search means nothing.
public struct SearchProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
