/// A key press, decoded from the terminal by the adapter.
enum Key: Equatable, Sendable {
    case character(Character)
    /// Ctrl plus a letter, lowercase: `.control("s")` is Ctrl-S.
    case control(Character)
    case function(Int)
    case enter, tab, backTab, backspace, delete, escape
    case left, right, up, down, home, end, pageUp, pageDown
}
