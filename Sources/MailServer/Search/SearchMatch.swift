extension SearchQuery {
    /// Whether every term holds for the message (a negated term: does not hold). An empty query
    /// matches everything, as Mailpit's empty search lists everything; a query with a `problem`
    /// matches nothing.
    public func matches(_ message: SearchableMessage) -> Bool {
        problem == nil && terms.allSatisfy { $0.holds(for: message) != $0.negated }
    }
}

extension SearchQuery.Term {
    /// Whether the filter, not negated, holds.
    func holds(for m: SearchableMessage) -> Bool {
        switch filter {
        case .text(let t): SearchText.contains(m.text, t)
        case .from(let t): SearchText.contains(m.from, t)
        case .to(let t): SearchText.contains(m.to, t)
        case .cc(let t): SearchText.contains(m.cc, t)
        case .bcc(let t): SearchText.contains(m.bcc, t)
        case .replyTo(let t): SearchText.contains(m.replyTo, t)
        case .addressed(let t): [m.to, m.from, m.cc, m.bcc, m.replyTo].contains { SearchText.contains($0, t) }
        case .subject(let t): SearchText.contains(m.subject, t)
        case .messageID(let t): SearchText.contains(m.messageID, t)
        case .tag(let t): m.tags.contains(t.lowercased())
        case .isRead: m.read
        case .isUnread: !m.read
        case .isTagged: !m.tags.isEmpty
        case .hasAttachment: m.attachments > 0
        case .hasInline: m.inlines > 0
        case .after(let seconds): m.time >= seconds
        case .before(let seconds): m.time <= seconds
        case .larger(let bytes): m.size > bytes
        case .smaller(let bytes): m.size < bytes
        }
    }
}

/// Finding a word in text, in any case, in time proportional to the text (Knuth-Morris-Pratt on
/// UTF-8): a body can be megabytes long, and a query word is chosen by whoever sends the query.
enum SearchText {
    /// Whether `haystack` (already lower-cased) holds `needle` in any case.
    static func contains(_ haystack: String, _ needle: String) -> Bool {
        let pattern = Array(needle.lowercased().utf8)
        guard !pattern.isEmpty else { return true }
        var failure = [Int](repeating: 0, count: pattern.count)
        var k = 0
        for i in 1..<max(1, pattern.count) {
            while k > 0 && pattern[i] != pattern[k] { k = failure[k - 1] }
            if pattern[i] == pattern[k] { k += 1 }
            failure[i] = k
        }
        var matched = 0
        for byte in haystack.utf8 {
            while matched > 0 && byte != pattern[matched] { matched = failure[matched - 1] }
            if byte == pattern[matched] { matched += 1 }
            if matched == pattern.count { return true }
        }
        return false
    }
}
