/// The Account field: the name, then what the store knows of its token ("expires in 54 min",
/// "not signed in"), dim. Never the token.
extension Renderer {
    static func oauthAccountField(_ state: AppState, _ rect: Rect, _ focused: Bool, _ style: Style, _ theme: Theme, into screen: inout ScreenBuffer) {
        let shown = state.oauth.account.visible(width: max(1, rect.width - 1))
        var x = rect.x
        if shown.text.isEmpty && !focused {
            screen.put("(account name: Enter signs in)", x: x, y: rect.y, style: theme.placeholder(style), maxWidth: rect.width)
            return
        }
        x += screen.put(shown.text, x: x, y: rect.y, style: style, maxWidth: rect.width)
        if focused { screen.cursor = (rect.x + shown.cursorColumn, rect.y) }
        let status = state.oauth.status.map { " (\($0.words))" } ?? ""
        let left = rect.x + rect.width - x
        if left > 0, !status.isEmpty {
            screen.put(status, x: x, y: rect.y, style: state.oauth.status == .notSignedIn ? theme.warning : theme.placeholder(style), maxWidth: left)
        }
    }
}
