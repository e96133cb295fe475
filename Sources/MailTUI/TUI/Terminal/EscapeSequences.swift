/// One code from ncurses' `get_wch`: a character (a key curses did not decode) or a key code.
enum RawInput: Equatable, Sendable {
    case character(UInt32)
    case keyCode(Int32)
}

/// Drops the escape sequences curses does not know (`ESC [1~` on a terminal whose terminfo lacks
/// it, `ESC [200~` of bracketed paste, a mouse report): curses hands them over one byte at a time,
/// and without this the bytes after ESC would be typed into the focused field. ESC on its own, or
/// before anything that does not start a sequence, stays a key.
enum EscapeSequences {
    static func filter(_ inputs: [RawInput]) -> [RawInput] {
        var out: [RawInput] = []
        out.reserveCapacity(inputs.count)
        var index = 0
        while index < inputs.count {
            let input = inputs[index]
            index += 1
            guard input == .character(27), index < inputs.count, case .character(let next) = inputs[index] else {
                out.append(input)
                continue
            }
            switch next {
            case 0x5B:  // CSI: ESC [ parameters (0x30-0x3F), intermediates (0x20-0x2F), one final byte (0x40-0x7E)
                index += 1
                while index < inputs.count, case .character(let c) = inputs[index], (0x20...0x3F).contains(c) { index += 1 }
                if index < inputs.count, case .character(let c) = inputs[index], (0x40...0x7E).contains(c) { index += 1 }
            case 0x4F:  // SS3: ESC O and one final byte
                index += 1
                if index < inputs.count, case .character(let c) = inputs[index], (0x40...0x7E).contains(c) { index += 1 }
            default:
                out.append(input)
            }
        }
        return out
    }
}
