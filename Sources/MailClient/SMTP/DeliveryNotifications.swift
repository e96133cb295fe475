/// What to ask of delivery status notifications (DSN, RFC 3461): when to report on each
/// recipient, how much of the message a bounce returns, and an id to match the reports with.
public struct DeliveryNotifications: Sendable, Equatable {
    public enum Return: String, Sendable, CaseIterable { case full, hdrs }

    /// `never`, or any of `success`, `failure`, `delay`.
    public var notify: [String]?
    public var ret: Return?
    public var envelopeID: String?

    public init(notify: [String]? = nil, ret: Return? = nil, envelopeID: String? = nil) {
        self.notify = notify
        self.ret = ret
        self.envelopeID = envelopeID
    }

    /// Reads `--dsn-notify never|success,failure,delay`; why it is wrong, or nil.
    public static func problem(notify: [String]) -> String? {
        let known = ["never", "success", "failure", "delay"]
        if let unknown = notify.first(where: { !known.contains($0) }) { return "--dsn-notify: '\(unknown)' is not one of never, success, failure, delay" }
        if notify.contains("never") && notify.count > 1 { return "--dsn-notify: never cannot be combined with others" }
        if notify.isEmpty { return "--dsn-notify needs never, or some of success, failure, delay" }
        return nil
    }

    /// The compose form's DSN field: `success,failure hdrs envid=order-42` (notify list, return,
    /// envelope id, in any order). Empty: none asked for. The reason it is wrong, as `.failure`.
    public static func parse(_ text: String) -> Result<DeliveryNotifications?, DeliveryNotificationsError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !words.isEmpty else { return .success(nil) }
        var result = DeliveryNotifications()
        for word in words {
            let lower = word.lowercased()
            if let ret = Return(rawValue: lower) {
                result.ret = ret
            } else if lower.hasPrefix("envid=") {
                let id = String(word.dropFirst(6))
                guard !id.isEmpty, id.utf8.count <= 100 else { return .failure(.init(reason: "envid= takes 1 to 100 characters")) }
                result.envelopeID = id
            } else {
                let notify = lower.split(separator: ",").map(String.init)
                if let problem = problem(notify: notify) { return .failure(.init(reason: problem.replacing("--dsn-notify", with: "notify"))) }
                result.notify = notify
            }
        }
        return .success(result)
    }

    /// Parameters for MAIL FROM.
    var mailParameters: String {
        (ret.map { " RET=\($0.rawValue.uppercased())" } ?? "") + (envelopeID.map { " ENVID=\(Self.xtext($0))" } ?? "")
    }

    /// Parameters for RCPT TO.
    var rcptParameters: String {
        notify.map { " NOTIFY=" + $0.map { $0.uppercased() }.joined(separator: ",") } ?? ""
    }

    /// RFC 3461's xtext: printable ASCII but "+" and "=", anything else as +XX.
    static func xtext(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte >= 33 && byte <= 126 && byte != UInt8(ascii: "+") && byte != UInt8(ascii: "=") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "+" + HexDigits.string(byte, uppercase: true)
            }
        }
        return out
    }
}

/// Why a DSN field or option cannot be used.
public struct DeliveryNotificationsError: Error, Sendable, Equatable {
    public var reason: String
}
