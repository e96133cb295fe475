/// The keys of the pickers: F8's profiles, F9's history and Ctrl-R's kept drafts.
enum PickerKeys {
    enum ProfileAction: Hashable, Sendable { case up, down, load, saveAs, export, saveExport, close }

    static let profiles = KeyTable<ProfileAction>("Profiles and provider presets (F8)", [
        KeyBinding(.up, [.up], help: "the row above"),
        KeyBinding(.down, [.down], keyText: "↑↓", hint: "Select", help: "the row below"),
        KeyBinding(.load, [.enter], keyText: "Enter", hint: "Load", help: "load the profile, the local test server or the preset into the form"),
        KeyBinding(.saveAs, [.character("s")], keyText: "s", hint: "Save form as", help: "save the form as a profile (in profiles.toml; never the typed password)"),
        KeyBinding(.export, [.character("e")], keyText: "e", hint: "Export", help: "show the settings as Flask, .env, swaks, curl or msmtp (each press the next)"),
        KeyBinding(.saveExport, [.character("w")], keyText: "w", hint: "Save export", help: "save the export shown to a file"),
        KeyBinding(.close, [.escape, .function(8)], keyText: "Esc", hint: "Close", help: "close"),
    ])

    /// A name or a path typed in a picker (the line editor's keys edit it).
    enum EntryAction: Hashable, Sendable { case save, back }

    static let entry = KeyTable<EntryAction>("Typing a profile's name or an export's path (F8, then s or w)", [
        KeyBinding(.save, [.enter], keyText: "Enter", hint: "Save", help: "save"),
        KeyBinding(.back, [.escape], keyText: "Esc", hint: "Back", help: "do not save"),
    ])

    enum HistoryAction: Hashable, Sendable { case up, down, reopen, share, close }

    static let history = KeyTable<HistoryAction>("History (F9)", [
        KeyBinding(.up, [.up], help: "the entry above"),
        KeyBinding(.down, [.down], keyText: "↑↓", hint: "Select", help: "the entry below"),
        KeyBinding(.reopen, [.enter], keyText: "Enter", hint: "Re-open in the form", help: "re-open the send or probe in the form, with its transcript"),
        KeyBinding(.share, [.character("s")], keyText: "s", hint: "Share report", help: "write a report to paste into an issue (no password)"),
        KeyBinding(.close, [.escape, .function(9)], keyText: "Esc", hint: "Close", help: "close"),
    ])

    enum KeptDraftAction: Hashable, Sendable { case up, down, open, delete, later }

    static let keptDrafts = KeyTable<KeptDraftAction>("Kept drafts (Ctrl-R)", [
        KeyBinding(.up, [.up], help: "the draft above"),
        KeyBinding(.down, [.down], keyText: "↑↓", hint: "Select", help: "the draft below"),
        KeyBinding(.open, [.enter, .character("o")], keyText: "Enter", hint: "Open", help: "open it (the form you had is kept in its place)"),
        KeyBinding(.delete, [.character("d"), .delete], keyText: "d", hint: "Delete", help: "delete it"),
        KeyBinding(.later, [.escape, .control("r")], keyText: "Esc", hint: "Later", help: "leave them for later"),
    ])
}
