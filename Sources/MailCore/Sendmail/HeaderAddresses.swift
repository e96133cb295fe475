/// The addresses of an address-list header value (To, Cc, Bcc, From) as RFC 5322 lets a program
/// write them: `a@b`, `Name <a@b>`, `"Doe, Jane" <a@b>`, comments `(...)`, groups
/// `team: a@b, c@d;` and `undisclosed-recipients:;`, and the old source routes `<@relay:a@b>`.
///
/// Only the addresses come out, unchecked (the caller checks them, so that it can name the header
/// in its refusal). One pass over the value; comment nesting is counted, never recursed.
public enum HeaderAddresses {
    public static func addresses(in value: String) -> [String] {
        var result: [String] = []
        // Text outside comments and angle brackets: a display name, a group name, or the address.
        var bare = ""
        var angle: String?
        var inAngle = false
        var inQuotes = false
        // Inside a domain literal (`a@[IPv6:::1]`), where ":" is not a group's.
        var inLiteral = false
        var escaped = false
        var commentDepth = 0

        func finish() {
            var address = (angle ?? bare).trimmingSpaces
            if address.hasPrefix("@"), let colon = address.firstIndex(of: ":") {
                address = String(address[address.index(after: colon)...]).trimmingSpaces
            }
            if !address.isEmpty { result.append(address) }
            bare = ""
            angle = nil
        }

        for ch in value {
            if escaped {
                escaped = false
                if commentDepth == 0 { if inAngle { angle?.append(ch) } else { bare.append(ch) } }
                continue
            }
            if commentDepth > 0 {
                switch ch {
                case "\\": escaped = true
                case "(": commentDepth += 1
                case ")": commentDepth -= 1
                default: break
                }
                continue
            }
            if inQuotes {
                if ch == "\\" { escaped = true }
                if ch == "\"" { inQuotes = false }
                if inAngle { angle?.append(ch) } else { bare.append(ch) }
                continue
            }
            if inAngle {
                switch ch {
                case ">": inAngle = false
                case "(": commentDepth = 1
                case "\"": inQuotes = true; angle?.append(ch)
                default: angle?.append(ch)
                }
                continue
            }
            if inLiteral {
                if ch == "]" { inLiteral = false }
                bare.append(ch)
                continue
            }
            switch ch {
            case "(": commentDepth = 1
            case "[": inLiteral = true; bare.append(ch)
            case "\"": inQuotes = true; bare.append(ch)
            case "<": inAngle = true; angle = ""
            case ":": bare = ""
            case ",", ";": finish()
            default: bare.append(ch)
            }
        }
        finish()
        return result
    }
}
