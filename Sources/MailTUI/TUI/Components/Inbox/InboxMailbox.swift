import MailCore
import MailServer

/// The mailbox a caught message is in (issue 26): each SMTP login name has its own, so that a
/// project that sets `MAIL_USERNAME=project-a` can look at its own mail; mail sent without a login
/// is in the default one.
enum InboxMailbox: Hashable, Comparable, Sendable {
    case `default`
    case login(String)

    /// The login `default` (and an empty one) is the default mailbox, as `?mailbox=default` is in
    /// the API: one name, one mailbox.
    init(_ message: StoredMessage) {
        guard let login = message.authUser, !login.isEmpty, login != "default" else {
            self = .default
            return
        }
        self = .login(login)
    }

    /// The widest a mailbox's name is shown, in columns: a login name is outside text, and a row
    /// or the hint bar must keep room for the rest.
    static let labelWidth = 16

    /// The name as the screen shows it: control characters as visible escapes (a login name is
    /// what the client sent), cut to `labelWidth` columns with "…".
    var label: String {
        switch self {
        case .default: "default"
        case .login(let name): Self.bounded(TerminalSanitizer.sanitize(name, maxLength: 64), width: Self.labelWidth)
        }
    }

    /// The mailbox in a title: `mailbox project-a`, `the default mailbox`.
    var name: String {
        switch self {
        case .default: "the default mailbox"
        case .login: "mailbox " + label
        }
    }

    /// The mailbox in a sentence: `mailbox project-a`, `the default mailbox (mail sent without a
    /// login)`.
    var phrase: String {
        switch self {
        case .default: "the default mailbox (mail sent without a login)"
        case .login: "mailbox " + label
        }
    }

    /// The default mailbox first, then the logins in alphabetical order.
    static func < (a: InboxMailbox, b: InboxMailbox) -> Bool {
        switch (a, b) {
        case (.default, .login): true
        case (.login(let x), .login(let y)): x < y
        default: false
        }
    }

    /// Text cut to `width` columns, the last one "…" when it was cut.
    static func bounded(_ text: String, width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }
}

/// The inbox's mailboxes: how many messages each holds, which one is shown, and where the shown
/// messages are in the list. Kept up to date when the list changes (`follow`), not on each frame,
/// so that drawing a row and moving the selection never walk the whole list.
struct InboxMailboxes: Equatable, Sendable {
    /// The mailbox shown; nil: all of them.
    private(set) var chosen: InboxMailbox?
    /// How many listed messages each mailbox holds.
    private(set) var counts: [InboxMailbox: Int] = [:]
    /// The places in the list of the shown messages, newest first (empty while all are shown).
    private(set) var places: [Int] = []
    /// How many messages the list holds.
    private(set) var total = 0
    /// Every mailbox that holds mail, in order, and the chosen one even when it is empty now;
    /// sorted when the list changes, not on each frame (a hostile client can log in with a new
    /// name for each message).
    private(set) var mailboxes: [InboxMailbox] = []

    /// Counts the list's messages by mailbox again, and finds the chosen one's.
    mutating func follow(_ messages: [StoredMessage]) {
        var counts: [InboxMailbox: Int] = [:]
        var places: [Int] = []
        for (index, message) in messages.enumerated() {
            let mailbox = InboxMailbox(message)
            counts[mailbox, default: 0] += 1
            if let chosen, mailbox == chosen { places.append(index) }
        }
        self.counts = counts
        self.places = places
        total = messages.count
        var sorted = Array(counts.keys)
        if let chosen, counts[chosen] == nil { sorted.append(chosen) }
        mailboxes = sorted.sorted()
    }

    /// Shows one mailbox (nil: all).
    mutating func choose(_ mailbox: InboxMailbox?, in messages: [StoredMessage]) {
        chosen = mailbox
        follow(messages)
    }

    /// The one after the chosen one in the cycle `m` goes round: all, the default, each login.
    var next: InboxMailbox? {
        let cycle: [InboxMailbox?] = [nil] + mailboxes.map { $0 }
        let index = cycle.firstIndex { $0 == chosen } ?? 0
        return cycle[(index + 1) % cycle.count]
    }

    /// True when the list holds mail of more than one mailbox: rows then say whose each is.
    var several: Bool { counts.count > 1 }

    /// How many messages are shown.
    var shownCount: Int { chosen == nil ? total : places.count }

    /// The place in the list of the shown message at `index`.
    func place(ofShown index: Int) -> Int? {
        guard index >= 0, index < shownCount else { return nil }
        return chosen == nil ? index : places[index]
    }

    /// Where a message at `place` in the list is among the shown ones, if it is shown.
    func shownIndex(ofPlace place: Int) -> Int? {
        guard chosen != nil else { return place < total ? place : nil }
        // The places are in order: a binary search.
        var low = 0, high = places.count
        while low < high {
            let middle = (low + high) / 2
            if places[middle] < place { low = middle + 1 } else { high = middle }
        }
        return low < places.count && places[low] == place ? low : nil
    }

    /// Whether a message is in the shown mailbox.
    func shows(_ message: StoredMessage) -> Bool {
        chosen.map { InboxMailbox(message) == $0 } ?? true
    }

    /// Why the inbox shows nothing while a mailbox is chosen, and how to see the rest; nil when
    /// it shows something or all mailboxes.
    var emptyReason: String? {
        guard let chosen, shownCount == 0 else { return nil }
        let nothing = "Nothing in " + chosen.phrase + (chosen == .default ? "" : " (mail sent with the login \(chosen.label) lands there)")
        guard total > 0 else { return nothing + " yet, nor in any other: M shows all mailboxes." }
        return nothing + "; the other mailboxes hold \(total) message\(total == 1 ? "" : "s"): M shows all, m the next mailbox."
    }

    /// The keys that change the mailbox shown, as the mailbox line ends.
    var keysText: String { "(" + InboxKeys.mailboxes.footer { $0 == .next || chosen != nil } + ")" }

    /// The line that says which mailbox is shown and what the others hold: `Mailbox: [all 5]
    /// default 2 · project-a 2 · project-b 1`. At most `limit` mailboxes are named (the chosen
    /// one always), the rest counted.
    func line(limit: Int = 6) -> String {
        func entry(_ mailbox: InboxMailbox?) -> String {
            let words = (mailbox?.label ?? "all") + " \(mailbox.map { counts[$0] ?? 0 } ?? total)"
            return mailbox == chosen ? "[" + words + "]" : words
        }
        var named = Array(mailboxes.prefix(limit))
        if let chosen, !named.contains(chosen) { named[named.count - 1] = chosen }
        let rest = mailboxes.count - named.count
        return "Mailbox: " + ([entry(nil)] + named.map(entry)).joined(separator: " · ") + (rest > 0 ? " · \(rest) more" : "")
    }
}
