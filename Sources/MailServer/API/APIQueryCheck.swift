extension APIResponder {
    /// A search, a search's deletion or a wait whose query means nothing as a whole (a quote left
    /// open, only punctuation) is answered 400 with the reason, before any message is read: it
    /// would otherwise list, delete or wait for every message. Mailpit lists everything instead.
    static func queryRefusal(_ route: APIRoute, _ query: [String: String]) -> APIResponse? {
        switch route {
        case .search, .deleteSearch, .wait: break
        default: return nil
        }
        guard let text = query["query"], let problem = SearchQuery(text).problem else { return nil }
        return .text(400, "the query is refused: \(problem.description)")
    }
}
