extension APIResponder {
    /// A search, a search's deletion or a wait whose query means nothing as a whole, or would be
    /// widened by a word left out (a quote left open, only punctuation, a date that is no date),
    /// and an empty `mailbox=` anywhere, are answered 400 with the reason, before any message is read: it
    /// would otherwise list, delete or wait for every message. Mailpit lists everything instead.
    static func queryRefusal(_ route: APIRoute, _ query: [String: String]) -> APIResponse? {
        // `?mailbox=` with nothing after it (a `$PROJECT` left unset) would mean every mailbox:
        // `DELETE /api/v1/messages?mailbox=` would empty them all.
        if query["mailbox"]?.isEmpty == true {
            return .text(400, "mailbox= names no mailbox: give a login name, or `default` for mail sent without a login (leave mailbox out for all)")
        }
        switch route {
        case .search, .deleteSearch, .wait: break
        default: return nil
        }
        guard let text = query["query"], let problem = SearchQuery(text).problem else { return nil }
        return .text(400, "the query is refused: \(problem.description)")
    }
}
