/// A MAIL_* value as the app would see it.
public enum FlaskValue: Sendable, Equatable {
    /// A string; from the environment or a .env file every value is one.
    case string(String)
    case int(Int)
    case bool(Bool)
    case none
    /// `('Name', 'address')`, for MAIL_DEFAULT_SENDER.
    case pair(String, String)

    /// Python's truthiness: a non-empty string is true, whatever it says.
    var truthy: Bool {
        switch self {
        case .string(let s): !s.isEmpty
        case .int(let n): n != 0
        case .bool(let b): b
        case .none: false
        case .pair: true
        }
    }

    var text: String? {
        switch self {
        case .string(let s): s
        case .int(let n): String(n)
        case .bool(let b): b ? "True" : "False"
        case .none: nil
        case .pair(let name, let address): "\(name) <\(address)>"
        }
    }

    /// A string that a person means as "off" but Python reads as true.
    var looksFalseButIsTrue: Bool {
        guard case .string(let s) = self else { return false }
        return ["false", "0", "no", "off", "n", "none", "null"].contains(s.trimmingSpaces.lowercased())
    }
}
