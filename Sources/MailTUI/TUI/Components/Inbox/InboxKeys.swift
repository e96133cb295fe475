/// The inbox's keys (F2 in the compose screen; the whole of `mailtui serve`'s screen).
enum InboxKeys {
    enum Action: Hashable, Sendable { case up, down, read, faults, delete, undo, deleteAll, close, quit }

    static let table = KeyTable<Action>("Inbox (F2)", [
        KeyBinding(.up, [.up], help: "the message above"),
        KeyBinding(.down, [.down], keyText: "↑↓", hint: "Select", help: "the message below"),
        KeyBinding(.read, [.enter], keyText: "Enter", hint: "Read", help: "read it: tabs, checks, attachments, send again"),
        KeyBinding(.faults, [.character("f"), .function(12)], keyText: "f", hint: "Faults", help: "the local server's faults"),
        KeyBinding(.delete, [.character("d"), .delete], keyText: "d", hint: "Delete", help: "delete it from the inbox"),
        KeyBinding(.undo, [.character("u")], keyText: "u", hint: "Undo", help: "bring the last deleted back (until the screen closes)"),
        KeyBinding(.deleteAll, [.character("D")], keyText: "D", hint: "Delete all", help: "delete every message shown (press it twice)"),
        KeyBinding(.close, [.escape, .function(2)], keyText: "Esc", hint: "Close", help: "close the inbox"),
        KeyBinding(.quit, [.function(10), .control("q")], keyText: "F10", hint: "Quit", help: "quit mailtui (in `mailtui serve`: q and Ctrl-C too)"),
    ])

    /// The keys that choose the mailbox shown (issue 26). A table of their own: the inbox's line
    /// of mailboxes ends with them (`footer`), shown when there is a choice, so the hint bar keeps
    /// room at 80 columns for the keys of every inbox.
    enum MailboxAction: Hashable, Sendable { case next, all }

    static let mailboxes = KeyTable<MailboxAction>("Inbox (F2): mailboxes, one per SMTP login", [
        KeyBinding(.next, [.character("m")], keyText: "m", hint: "Next mailbox",
                   help: "show the next mailbox: all, the default (mail sent without a login), then one per SMTP login (MAIL_USERNAME); the line above the list counts each"),
        KeyBinding(.all, [.character("M")], keyText: "M", hint: "All mailboxes", help: "show every mailbox again"),
    ])

    /// `mailtui serve`'s screen is the inbox: q and Ctrl-C stop it there.
    static let serveQuit: [Key] = [.character("q"), .control("c")]
}
