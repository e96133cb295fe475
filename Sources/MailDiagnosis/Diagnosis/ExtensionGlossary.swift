/// One-line meanings of EHLO keywords, for `mailtui probe`.
public enum ExtensionGlossary {
    /// The meaning of one EHLO line (`SIZE 35882577`, `AUTH PLAIN LOGIN`, ...).
    public static func meaning(of line: String) -> String {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
        guard let keyword = words.first?.uppercased() else { return "" }
        let parameters = Array(words.dropFirst())
        switch keyword {
        case "SIZE":
            if let n = parameters.first.flatMap(Int.init), n > 0 { return "largest message accepted: \(ByteCount.human(n))" }
            return "announces a size limit (none given)"
        case "PIPELINING": return "accepts several commands without waiting for each reply"
        case "8BITMIME": return "accepts 8-bit message bodies"
        case "SMTPUTF8": return "accepts UTF-8 addresses and headers"
        case "CHUNKING": return "accepts BDAT (message in chunks)"
        case "BINARYMIME": return "accepts binary message bodies"
        case "DSN": return "can send delivery status notifications on request"
        case "ENHANCEDSTATUSCODES": return "replies carry detailed status codes (e.g. 5.7.8)"
        case "STARTTLS": return "can upgrade this connection to TLS"
        case "AUTH": return parameters.isEmpty ? "login offered, no mechanism named" : "login mechanisms: " + parameters.joined(separator: ", ")
        case "REQUIRETLS": return "can require TLS for the whole delivery path (RFC 8689)"
        case "DELIVERBY": return "accepts a delivery deadline"
        case "ETRN": return "can flush its queue for a domain on request"
        case "VRFY": return "answers address verification"
        case "EXPN": return "expands mailing lists on request"
        case "HELP": return "answers HELP"
        case "MT-PRIORITY": return "accepts message priorities"
        case "FUTURERELEASE": return "can hold a message until a given time"
        case "XCLIENT", "XFORWARD": return "Postfix proxy extension"
        case "LIMITS": return "announces its limits: " + parameters.joined(separator: " ")
        default: return "(not known to mailtui)"
        }
    }
}
