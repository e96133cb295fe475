#if canImport(Glibc)
import Glibc
#endif

/// What one session should do.
public struct SessionRequest: Sendable {
    public enum Purpose: Sendable {
        /// Deliver a message.
        case send(envelopeFrom: String, recipients: [String], message: MessageStream)
        /// Connect, greet, EHLO, STARTTLS, AUTH when credentials are set, NOOP, QUIT: no mail.
        case probe
    }

    public var settings: ServerSettings
    /// The password or bearer token; nil sends no credentials.
    public var secret: Secret?
    public var purpose: Purpose
    /// Deliver to the recipients the server accepts even when it refuses some.
    public var allowPartial: Bool
    /// Stop cleanly after this stage and deliver nothing (like swaks's --quit-after).
    public var quitAfter: SMTPStage?

    public init(settings: ServerSettings, secret: Secret?, purpose: Purpose, allowPartial: Bool = false, quitAfter: SMTPStage? = nil) {
        self.settings = settings
        self.secret = secret
        self.purpose = purpose
        self.allowPartial = allowPartial
        self.quitAfter = quitAfter
    }

    /// The stages `quitAfter` accepts.
    public static let quitAfterStages: [SMTPStage] = [.connect, .greeting, .ehlo, .tls, .auth, .mail, .rcpt]

    /// Convenience: a send of a validated message, rendered with `renderer`.
    public static func send(_ message: Message, settings: ServerSettings, secret: Secret?, allowPartial: Bool = false,
                            quitAfter: SMTPStage? = nil, renderer: MessageRenderer = MessageRenderer()) -> SessionRequest {
        SessionRequest(
            settings: settings, secret: secret,
            purpose: .send(envelopeFrom: message.from.address, recipients: message.envelopeRecipients, message: renderer.render(message)),
            allowPartial: allowPartial, quitAfter: quitAfter
        )
    }

    /// Whether credentials are used: a login is wanted, a secret is there, and the session goes
    /// as far as AUTH.
    var logsIn: Bool {
        settings.wantsLogin && secret != nil && (quitAfter.map { $0 >= .auth } ?? true)
    }
}

/// Why a request was refused before any connection was made.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var setting: String
    public var reason: String
    public var description: String { "\(setting): \(reason)" }
}

extension ServerSettings {
    /// Problems that make a connection pointless, found without touching the network.
    public func problems() -> [SettingsError] {
        var found: [SettingsError] = []
        if host.isEmpty {
            found.append(SettingsError(setting: "server", reason: "no server given (--server, MAIL_SERVER)"))
        } else if host.contains(where: { " /\\@?#\r\n\t".contains($0) }) || !host.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 }) {
            found.append(SettingsError(setting: "server", reason: "\"\(host.visibleControls)\" is not a host name or address"))
        }
        if let port, !(1...65535).contains(port) {
            found.append(SettingsError(setting: "port", reason: "\(port) is not a port number (1-65535)"))
        }
        if let helo = heloName, !helo.isEmpty, !helo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._[]:".contains($0)) }) {
            found.append(SettingsError(setting: "helo", reason: "\"\(helo.visibleControls)\" is not a host name"))
        }
        if let ca = caFile, !ca.isEmpty, access(ca.expandingTilde, R_OK) != 0 {
            found.append(SettingsError(setting: "ca-file", reason: "cannot read \(ca) (\(String(cString: strerror(errno))))"))
        }
        if let user = username, user.unicodeScalars.contains(where: { $0.value < 32 }) {
            found.append(SettingsError(setting: "user", reason: "contains a control character"))
        }
        for (name, value) in [("connect timeout", timeouts.connect), ("response timeout", timeouts.response), ("total timeout", timeouts.total)] where !(value > 0) {
            found.append(SettingsError(setting: name, reason: "must be more than 0 seconds"))
        }
        return found
    }
}
