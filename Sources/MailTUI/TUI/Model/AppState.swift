import MailCore
import MailServer

/// The whole UI as one value: what the form holds, where the focus is, the conversation so far and
/// the send's phase. `update` changes it; `render` draws it. No ncurses, no I/O.
struct AppState: Equatable, Sendable {
    var fields: [FieldID: TextField] = [:]
    var security: SecurityMode = .starttls
    var authMechanism: AuthMechanism = .auto
    var verifyCertificate = true
    /// Stop after this stage and deliver nothing (nil: deliver).
    var quitAfter: SMTPStage?
    /// The settings of the probe that is running or shown, for its summary.
    var probeSettings: ServerSettings?
    /// False while the port follows the security choice (25 / 587 / 465).
    var portEdited = false
    var bodies: [BodyTab: TextArea] = [.text: TextArea(), .html: TextArea(), .headers: TextArea()]
    var bodyTab: BodyTab = .text
    var attachments: [AttachmentItem] = []
    var selectedAttachment = 0

    var focus: FieldID = .host
    var width: Int
    var height: Int
    var colors: Bool

    var transcript: [TranscriptLine] = []
    /// The first transcript line shown, or nil to follow the end.
    var transcriptTop: Int?
    var phase: Phase = .idle
    /// The phase before the running send, to return to if the runtime refuses to start it.
    var previousPhase: Phase?
    /// The send or probe that is running, for its history entry.
    var inFlight: SendPlan?
    /// Problems found before sending, by field.
    var fieldErrors: [FieldID: String] = [:]
    var overlay: Overlay?
    /// A one-off message for the status line (a completion list, an added file, an error).
    var notice: String?
    var draftProblem: String?
    var allowPartial = false
    /// The profile the form was loaded from, if any.
    var profileName: String?
    /// Shown in an empty password field when a password will come from elsewhere.
    var passwordHint: String?
    /// The export format F8's `e` shows next; kept here because the F8 window is made anew each time.
    var exportIndex = 0
    /// The export shown last, which F8's `w` saves to a file.
    var lastExport: ShownExport?
    /// Where the local test server in this screen listens (`127.0.0.1:2525`), when one runs.
    var localServer: String?
    /// False when that server is a `mailtui serve` given its own logins: the password matters there.
    var localServerTakesAnyLogin = true
    /// The messages the local server caught, newest first.
    var captured: [StoredMessage] = [] {
        didSet {
            inboxSubjects.follow(captured)
            mailboxes.follow(captured)
        }
    }
    /// Their Subjects, decoded once as they arrive.
    var inboxSubjects = InboxSubjects()
    /// Their mailboxes (one per SMTP login) and the one the inbox shows (`m`).
    var mailboxes = InboxMailboxes()
    /// Caught messages read for the message view, kept so that each is read once.
    var readMessages = ReadMessages()
    /// Set when this is `mailtui serve`'s screen: the inbox is the whole screen, under these lines
    /// (where it listens, the CA, the store). nil in the compose screen.
    var serving: [String]?
    /// Whether this screen may run the local test server (not with `--no-local-server` or
    /// `local_server = false`): F8 then offers it.
    var localServerAllowed = false
    /// The messages of a running or finished load run (Count above 1), in order.
    var loadOutcomes: [LoadOutcome] = []
    /// The local server's faults in force, as `--fault` writes them.
    var activeFaults: [String] = []
    /// True after a first `D` in the inbox: a second deletes every message.
    var confirmingDeleteAll = false
    /// Messages deleted from the inbox while this screen runs, each delete a group, the last one
    /// last: `u` brings the last group back, and their files are removed only when the screen closes.
    var deletedMessages: [[StoredMessage]] = []
    /// Drafts of earlier screens that are gone, newest first (Ctrl-R offers them).
    var keptDrafts: [KeptDraft] = []
    /// How the app fails with the imported config (MAIL_USE_TLS and MAIL_USE_SSL both on): F5
    /// fails the same way until the user chooses the Security (AppWillFail.swift).
    var appWillFail: SessionFailure?
    /// The OAuth account in the Password field's place (Auth xoauth2 or oauthbearer) and its sign-in.
    var oauth = OAuthState()
    /// Whether the local server relays to the form's server (Ctrl-Y), and where.
    var relay = RelayMode()

    init(width: Int, height: Int, colors: Bool = true) {
        self.width = width
        self.height = height
        self.colors = colors
        for id in FieldID.allCases where id.isText { fields[id] = TextField() }
        fields[.port] = TextField(String(SecurityMode.starttls.defaultPort))
    }

    func text(_ id: FieldID) -> String { fields[id]?.text ?? "" }

    var isSending: Bool {
        switch phase {
        case .sending, .cancelling, .autoProbing: true
        default: false
        }
    }
}

/// A file in the attachment list, as inspected on disk.
struct AttachmentItem: Equatable, Sendable, Codable {
    var spec: AttachmentSpec
    var size: Int?
    var mimeType: String
    /// Why it cannot be sent (missing, unreadable), shown at once.
    var problem: String?

    var name: String { spec.displayName ?? spec.path.split(separator: "/").last.map(String.init) ?? spec.path }
}

/// Where the send is.
enum Phase: Equatable, Sendable {
    case idle
    case sending(stage: SMTPStage, sent: Int?, total: Int?)
    case cancelling
    case sent(reply: String, elapsed: Duration, refused: [String])
    /// `elapsed` is nil when nothing connected: the failure is the app's, known from its config.
    case failed(SessionFailure, elapsed: Duration?)
    /// A probe's or an auto-detection's findings (and its failure, if it failed).
    case probed(lines: [String], failure: SessionFailure?)
    /// Text to read in the conversation pane (an export, a past transcript's result).
    case showing(lines: [String])
    case autoProbing
}

/// A window over the form.
enum Overlay: Equatable, Sendable {
    /// The keys, scrolled to `top`.
    case help(top: Int)
    /// The whole status and result text (Ctrl-O), scrolled to `top`.
    case fullText([String], top: Int)
    /// Quit? The reason says what would be lost.
    case confirmQuit(String)
    case profiles(ProfilePicker)
    case history(HistoryPicker)
    /// F2: the local server's inbox; the index of the selected message among those shown (the
    /// chosen mailbox's, `AppState.mailboxes`).
    case inbox(selected: Int)
    /// A caught message, read in tabs.
    case message(MessageView)
    /// F12: the local server's faults.
    case faults(FaultPanel)
    /// Ctrl-R: drafts of earlier screens; the index of the selected one.
    case keptDrafts(selected: Int)
    /// An OAuth sign-in waiting for the user (the device code and URL), or why it failed.
    case signIn(SignInWindow)
    /// Relay for real? Asked once, before the first switch to relay mode.
    case confirmRelay(String)
}

/// What the runtime does for `update`: everything that touches the world.
enum Effect: Equatable, Sendable {
    case send(SendPlan)
    case probe(SendPlan)
    case autoProbe(ServerSettings)
    /// Checks a sender's domain (check-domain), for the server in the form.
    case checkDomain(domain: String, server: String, provider: String?)
    case cancelSend
    case openEditor(BodyTab, String)
    case saveDraft
    case inspectAttachment(AttachmentSpec)
    case completePath(String)
    case repaint
    case quit
    case loadProfiles
    case saveProfile(Profile)
    case loadHistory
    /// Writes an export to a file (it never holds a password).
    case writeExport(path: String, text: String)
    /// Renders the draft as it would be sent (`send --dry-run`), for the preview.
    case preview(MessageDraft)
    /// Looks at the attachments on disk again (before a send, after re-opening a draft).
    case checkAttachments([AttachmentSpec])
    /// Reads the inbox folder again (when it is a separate `mailtui serve`'s, whose arrivals this
    /// screen does not hear of).
    case reloadInbox
    /// Reads a caught message's file for its view.
    case readCaptured(StoredMessage)
    /// Saves an attachment of a caught message (by its place in the MIME tree) to a file.
    case saveAttachment(StoredMessage, part: [Int], to: String)
    /// Makes a caught message the draft in the form ("send again").
    case sendAgain(StoredMessage)
    /// Starts the local test server if it is not running, for the F8 entry.
    case useLocalServer
    /// Puts these faults in force on the local server (none: clears them).
    case setFaults([Fault], once: Bool)
    /// Asks the local server which faults are still in force (a `once` fault goes when it struck).
    case refreshFaults
    /// Writes a draft into a kept draft's file (the form it was swapped with), or removes the file (nil).
    case replaceKeptDraft(path: String, with: Draft?)
    /// Adds a finished send or probe to the history.
    case recordHistory(kind: HistoryEntry.Kind, plan: SendPlan, report: SessionReport)
    /// Reads what the token store knows of an OAuth account (never its token into the state).
    case loadOAuthAccount(String)
    /// Lists the signed-in accounts' names (the account field's ^N).
    case listOAuthAccounts
    /// Signs in to an OAuth account with a device code, polling in the background; `id` numbers it.
    case signIn(account: String, host: String, id: Int)
    /// Stops the sign-in under way.
    case cancelSignIn
    /// Restarts the local server relaying to the plan's server (its login from the plan, the
    /// profile, or the OAuth account).
    case startRelay(SendPlan)
    /// Restarts the local server catching mail again.
    case stopRelay
    /// Takes the local server the runtime switched to as this screen's.
    case adoptLocalServer
}

/// Everything a send needs, taken from the form.
struct SendPlan: Equatable, Sendable {
    var settings: ServerSettings
    var draft: MessageDraft
    var password: String?
    var allowPartial: Bool
    var quitAfter: SMTPStage? = nil
    /// The profile the form came from: its password source is used when the field is empty.
    var profileName: String? = nil
    /// How many messages (the Count field): more than one is a load run on one connection.
    var count = 1
    /// The DSN and DKIM fields, read once by update.
    var notifications: DeliveryNotifications? = nil
    var dkim: DKIMSettings? = nil

    /// What the send service needs besides the settings and the draft.
    var options: SendOptions {
        SendOptions(allowPartial: allowPartial, quitAfter: quitAfter, notifications: notifications, dkim: dkim, count: count)
    }
}

/// What happens to the UI: keys, resizes, and results from the runtime and the send thread.
enum AppEvent: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case session(SessionEvent)
    /// The form could not be sent: problems by field, found by the runtime before connecting.
    case sendRefused([FieldID: String])
    case editorFinished(BodyTab, Result<String, EditorFailure>)
    case attachmentInspected(AttachmentItem)
    /// Every attachment as it is on disk now, in the list's order.
    case attachmentsChecked([AttachmentItem])
    case completed(input: String, completion: String, candidates: [String])
    case draftSaved(problem: String?)
    case profilesLoaded([Profile], problem: String?)
    /// A profile was saved (or not: `problem`); `note` says what the user should know.
    case profileSaved(Profile, problem: String?, note: String? = nil)
    case historyLoaded([HistoryEntry])
    case exportWritten(path: String, problem: String?)
    /// Something happened at the local server (a message arrived).
    case server(ServerEvent)
    /// The inbox as its folder holds it now (a separate `mailtui serve`'s).
    case inboxReloaded([StoredMessage])
    /// A caught message, read (or why it could not be).
    case capturedRead(id: String, content: CapturedMessage?, problem: String?)
    /// The DKIM verdict of a caught message, checked after it was shown.
    case dkimChecked(id: String, verdict: DKIMVerifier.Verdict)
    /// The check-message checks of a caught message, run after it was shown.
    case messageChecked(id: String, checks: CaughtMessageChecks)
    /// An attachment was saved (where, and `note` when its name was taken), or why not.
    case attachmentSaved(path: String, problem: String?, note: String? = nil)
    /// The local test server runs (the F8 entry): where, and what its inbox holds; or why not.
    case localServerReady(address: String, port: Int, caPath: String, earlier: [StoredMessage], problem: String?, anyLogin: Bool = true)
    /// The local server's faults in force now, or why they could not be set.
    case faultsChanged(active: [String], problem: String?, changed: Bool)
    /// A caught message as a draft, for "send again" (or why it could not be made one).
    case resendReady(MessageDraft?, problem: String?)
    /// The preview: the message's lines, or what stops it from being rendered.
    case previewReady(lines: [String], problems: [FieldID: String])
    /// Auto-detection finished: the table and the recommended port and security.
    case autoProbed(lines: [String], verdict: AutoProbe.Verdict)
    case domainChecked(domain: String, lines: [String], problems: [String])
    /// The OAuth account's status and its sign-in.
    case oauth(OAuthEvent)
    /// The local server was switched: relaying to `relayingTo` (nil: catching again), or why not.
    case relaySwitched(address: String, relayingTo: String?, problem: String?)
}
