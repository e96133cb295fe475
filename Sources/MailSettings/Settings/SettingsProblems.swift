#if canImport(Glibc)
import Glibc
#endif

/// Why a request was refused before any connection was made.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setting at fault, named as its command-line option.
    public enum Setting: String, Sendable, Equatable {
        case server, port, helo, user, caFile = "ca-file", timeout, connectAddress = "connect-address"
    }

    public var setting: Setting
    public var reason: String
    public var description: String { "\(setting.rawValue): \(reason)" }
}

extension ServerSettings {
    /// Problems that make a connection pointless, found without touching the network. Without
    /// `checkingFiles`, nothing is read from disk either (for the UI's pure update).
    public func problems(checkingFiles: Bool = true) -> [SettingsError] {
        var found: [SettingsError] = []
        if host.isEmpty {
            found.append(SettingsError(setting: .server, reason: "no server given (--server, MAIL_SERVER)"))
        } else if host.contains(where: { " /\\@?#\r\n\t".contains($0) }) || !host.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 }) {
            found.append(SettingsError(setting: .server, reason: "\"\(host.visibleControls)\" is not a host name or address"))
        }
        if let port, !(1...65535).contains(port) {
            found.append(SettingsError(setting: .port, reason: "\(port) is not a port number (1-65535)"))
        }
        if let address = connectAddress, !address.isEmpty, !IPAddress.isLiteral(address.trimmingEnds(of: "[]")) {
            found.append(SettingsError(setting: .connectAddress, reason: "\"\(address.visibleControls)\" is not an IPv4 or IPv6 address"))
        }
        if let helo = heloName, !helo.isEmpty, !helo.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._[]:".contains($0)) }) {
            found.append(SettingsError(setting: .helo, reason: "\"\(helo.visibleControls)\" is not a host name"))
        }
        if checkingFiles, let ca = caFile, !ca.isEmpty, RawPath.access(ca.expandingTilde, R_OK) != 0 {
            found.append(SettingsError(setting: .caFile, reason: "cannot read \(ca) (\(String(cString: strerror(errno))))"))
        }
        if let user = username, user.unicodeScalars.contains(where: { $0.value < 32 }) {
            found.append(SettingsError(setting: .user, reason: "contains a control character"))
        }
        if let problem = timeouts.problem {
            found.append(SettingsError(setting: .timeout, reason: problem))
        }
        return found
    }
}
