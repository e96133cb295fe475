import MailCore

/// The F8 window: profiles to load, and a name being typed to save the form as one.
struct ProfilePicker: Equatable, Sendable {
    var profiles: [Profile] = []
    var selected = 0
    /// Non-nil while the user types a name for "save as".
    var naming: TextField?
    var message: String?
    /// Non-nil while the user types the path to save the last export to.
    var exportPath: TextField?

    /// The rows to choose from: the profiles, the local test server, the provider presets.
    func itemCount(localServerAllowed: Bool) -> Int {
        profiles.count + (localServerAllowed ? 1 : 0) + Provider.catalogue.count
    }
}

/// Settings exported in one format, as shown in the conversation pane.
struct ShownExport: Equatable, Sendable {
    var format: SettingsExport.Format
    var text: String

    /// A file name that says what the file is.
    var suggestedFileName: String {
        switch format {
        case .flask: "mail_settings.py"
        case .dotenv: "mail.env"
        case .swaks: "swaks.sh"
        case .curl: "curl.sh"
        case .msmtp: "msmtprc"
        }
    }
}

/// The F9 window: past sends and probes, newest first.
struct HistoryPicker: Equatable, Sendable {
    var entries: [HistoryEntry] = []
    var selected = 0
}
