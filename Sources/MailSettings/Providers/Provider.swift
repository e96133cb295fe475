/// A mail provider's submission service: where it listens, how to log in, and what people trip on.
/// The presets behind `--provider NAME` and the compose screen's provider list; the probe and the
/// diagnosis recognise one from the host name or the greeting and add its advice.
public struct Provider: Sendable, Equatable {
    /// What `--provider` takes: `gmail`, `microsoft365`, `ses`, ...
    public var id: String
    /// The name people know it by.
    public var name: String
    /// The submission host (for SES: us-east-1's; `ses:REGION` picks another).
    public var host: String
    public var port: Int
    public var security: SecurityMode
    /// Other ports it serves, in words: "465 (implicit TLS)".
    public var otherPorts: [String]
    /// Who to log in as.
    public var user: String
    /// The login's password, in words: "an app password", "the API key".
    public var password: String
    /// Host names (or suffixes) that belong to it.
    public var hostSuffixes: [String]
    /// Words of its greeting or EHLO reply that give it away (lowercased).
    public var greetingMarks: [String]
    /// What to know, most important first; each with the stages where it matters (empty: all).
    public var advice: [Advice]
    /// Its SPF include, for domain checks.
    public var spfInclude: String?
    /// A login name every account shares (SendGrid's `apikey`), not a per-account one.
    public var fixedUser: String? = nil

    /// One thing worth knowing about a provider.
    public struct Advice: Sendable, Equatable {
        public var text: String
        /// The stages of a failure this helps with; empty when it always applies.
        public var stages: Set<SMTPStage>
        public init(_ text: String, stages: Set<SMTPStage> = []) {
            self.text = text
            self.stages = stages
        }
    }

    /// The settings a preset gives: host, port, security; the user when the format is fixed.
    public func apply(to settings: ServerSettings) -> ServerSettings {
        var s = settings
        s.host = host
        s.port = port
        s.security = security
        if let fixed = fixedUser { s.username = fixed }
        return s
    }

    /// The advice that helps with a failure at `stage`, or all of it for nil.
    public func advice(for stage: SMTPStage?) -> [String] {
        advice.filter { piece in stage.map { piece.stages.isEmpty || piece.stages.contains($0) } ?? true }.map(\.text)
    }

    /// Lines for people: where, how to log in, what to know.
    public var summaryLines: [String] {
        ["\(name): \(host) port \(port) (\(security.displayName))" + (otherPorts.isEmpty ? "" : "; also \(otherPorts.joined(separator: ", "))"),
         "  user: \(user); password: \(password)"]
            + advice.map { "  - \($0.text)" }
    }
}

extension Provider {
    /// A provider by `--provider` name, case-insensitively; `ses:eu-west-1` gives SES in that region.
    public static func named(_ text: String) -> Provider? {
        let lowered = text.lowercased().trimmingSpaces
        let parts = lowered.split(separator: ":", maxSplits: 1).map(String.init)
        guard let first = parts.first, var provider = catalogue.first(where: { $0.id == first || $0.aliases.contains(first) }) else { return nil }
        if parts.count == 2 {
            guard provider.id == "ses", SESRegion.isValid(parts[1]) else { return nil }
            provider.host = "email-smtp.\(parts[1]).amazonaws.com"
        }
        return provider
    }

    /// Other names people type for it.
    var aliases: [String] {
        switch id {
        case "gmail": ["google", "workspace", "google-workspace"]
        case "microsoft365": ["office365", "o365", "m365", "exchange-online"]
        case "outlook": ["outlook.com", "hotmail", "live"]
        case "ses": ["amazon-ses", "aws", "amazon"]
        case "mailgun": ["mailgun-us"]
        case "brevo": ["sendinblue"]
        case "icloud": ["apple", "me.com"]
        case "proton": ["protonmail", "proton-bridge", "bridge"]
        default: []
        }
    }

    /// The provider a session talked to, from its host name, then its greeting (or EHLO reply).
    public static func recognise(host: String, greeting: String? = nil) -> Provider? {
        let h = host.lowercased()
        // The longest suffix wins: eu.mailgun.org is Mailgun's EU region, not its US one.
        let matches = catalogue.compactMap { p -> (Provider, Int)? in
            let lengths = p.hostSuffixes.filter { h == $0 || h.hasSuffix("." + $0) }.map(\.count)
            return lengths.max().map { (p, $0) }
        }
        if let byHost = matches.max(by: { $0.1 < $1.1 })?.0 {
            if byHost.id == "ses", h.hasPrefix("email-smtp."), h.hasSuffix(".amazonaws.com") {
                var regional = byHost
                regional.host = h
                return regional
            }
            return byHost
        }
        guard let greeting = greeting?.lowercased(), !greeting.isEmpty else { return nil }
        return catalogue.first { p in p.greetingMarks.contains { greeting.contains($0) } }
    }
}

/// Amazon SES's region names, as they appear in its SMTP host names.
enum SESRegion {
    static func isValid(_ region: String) -> Bool {
        let parts = region.split(separator: "-")
        guard parts.count >= 3, let last = parts.last else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } } && last.allSatisfy(\.isNumber)
    }
}
