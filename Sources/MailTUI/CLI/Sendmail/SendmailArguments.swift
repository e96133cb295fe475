/// sendmail's command line, as PHP, cron, git and mail(1) write it, made into the long options of
/// `SendmailCommand`. swift-argument-parser reads `-oi` as `-o -i` and `-fme@x` not at all, so the
/// short flags are read here, getopt's way (`-ti` is `-t -i`; `-f ADDR` and `-fADDR` are the
/// same), and long options (`--profile work`) pass through untouched.
///
/// The flags that mean nothing to a program that sends at once (-oem, -odi, -bm, -B8BITMIME ...)
/// are accepted and ignored, as msmtp does, rather than failing a cron job; modes that need a
/// mail queue or a daemon are refused by name.
struct SendmailArguments: Equatable {
    /// The words for `SendmailCommand`'s parser.
    var words: [String] = []
    /// The flags accepted and ignored, as given (`-v` names them).
    var ignored: [String] = []
    /// The whole answer when the flags ask for no message (-bp: there is no queue), for standard output.
    var answer: String?

    struct Usage: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// Flags without a value, and the long option each becomes (nil: ignored).
    static let flags: [Character: String?] = [
        "t": "--read-recipients", "i": "--ignore-dots", "v": "--verbose",
        "G": nil, "m": nil, "n": nil, "s": nil, "U": nil, "c": nil,
    ]
    /// Flags with a value (attached, or the next word), and the long option each becomes (nil: ignored).
    static let valued: [Character: String?] = [
        "f": "--envelope-from", "r": "--envelope-from", "F": "--full-name",
        "o": nil, "b": nil, "A": nil, "B": nil, "C": nil, "h": nil, "L": nil, "N": nil, "O": nil, "p": nil, "R": nil, "V": nil, "X": nil,
    ]
    /// Flags whose value may only be attached (`-q`, `-q30m`; `-d`, `-d0.1`).
    static let optionallyValued: Set<Character> = ["q", "d"]

    static func parse(_ arguments: [String]) -> Result<SendmailArguments, Usage> {
        var result = SendmailArguments()
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if word == "--" {
                result.words += arguments[(index - 1)...]
                break
            }
            // `-h` alone, last or before another flag, is a request for help, not a hop count.
            if word == "-h" && (index == arguments.count || arguments[index].hasPrefix("-")) {
                result.words.append("--help")
                continue
            }
            guard word.hasPrefix("-"), !word.hasPrefix("--"), word.count > 1 else {
                result.words.append(word)
                continue
            }
            var letters = Substring(word.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                if let long = flags[letter] {
                    if let long { result.words.append(long) } else { result.ignored.append("-\(letter)") }
                    continue
                }
                if optionallyValued.contains(letter) {
                    if letter == "q" { result.answer = "mailtui keeps no mail queue: each message is sent at once (mailtui history lists them)." }
                    result.ignored.append("-\(letter)\(letters)")
                    break
                }
                guard let long = valued[letter] else {
                    return .failure(Usage(description: "unknown flag -\(letter) in \(word) (mailtui sendmail --help lists the flags it takes)"))
                }
                var value = String(letters)
                if value.isEmpty {
                    guard index < arguments.count else { return .failure(Usage(description: "-\(letter) needs a value")) }
                    value = arguments[index]
                    index += 1
                }
                switch letter {
                case "o" where value == "i":
                    result.words.append("--ignore-dots")
                case "b":
                    if let problem = mode(value, into: &result) { return .failure(problem) }
                default:
                    if let long { result.words.append("\(long)=\(value)") } else { result.ignored.append("-\(letter)\(value)") }
                }
                break
            }
        }
        return .success(result)
    }

    /// `-bm` (deliver, the default) and the other modes: what mailtui does for each.
    private static func mode(_ value: String, into result: inout SendmailArguments) -> Usage? {
        switch value {
        case "m":
            result.ignored.append("-bm")
        case "p":
            result.answer = "mailtui keeps no mail queue: each message is sent at once (mailtui history lists them)."
        case "i":
            result.answer = "mailtui has no alias database to build."
        default:
            return Usage(description: "-b\(value) is not supported: mailtui sendmail only sends the message on standard input (-bm)")
        }
        return nil
    }
}
