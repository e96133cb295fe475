#if canImport(Glibc)
import Glibc
#endif

/// Turns text into a body part's content a block at a time: any mix of CRLF, CR and LF becomes
/// CRLF, and with quoted-printable every line stays within 76 characters. It keeps its state
/// between blocks, so a 200 MB body file streams through a few kilobytes of memory and gives the
/// same bytes as the same text held whole.
package struct TextPartEncoder {
    let quotedPrintable: Bool
    private var previousCR = false
    /// Quoted-printable only: the last byte of the line so far. A space or tab is written
    /// literally only when more follows on its line, so its encoding waits for the next byte.
    private var held: UInt8?
    private var column = 0
    private var endsWithLineBreak = false

    package init(quotedPrintable: Bool) { self.quotedPrintable = quotedPrintable }

    mutating func encode(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        for byte in input {
            switch byte {
            case 13:
                lineEnd(into: &out)
                previousCR = true
            case 10:
                if previousCR { previousCR = false } else { lineEnd(into: &out) }
            default:
                previousCR = false
                endsWithLineBreak = false
                if !quotedPrintable {
                    out.append(byte)
                } else {
                    if let held { emit(held, isLast: false, into: &out) }
                    held = byte
                }
            }
        }
    }

    /// Ends the part: the last line, and a line break if the text did not end with one.
    mutating func finish(into out: inout [UInt8]) {
        if let held { emit(held, isLast: true, into: &out) }
        held = nil
        if !endsWithLineBreak { out += [13, 10] }
    }

    private mutating func lineEnd(into out: inout [UInt8]) {
        if let held { emit(held, isLast: true, into: &out) }
        held = nil
        out += [13, 10]
        column = 0
        endsWithLineBreak = true
    }

    private mutating func emit(_ byte: UInt8, isLast: Bool, into out: inout [UInt8]) {
        let literal = (byte >= 33 && byte <= 126 && byte != 61) || ((byte == 32 || byte == 9) && !isLast)
        let width = literal ? 1 : 3
        // Leave room for the "=" of a soft line break.
        if column + width > (isLast ? 76 : 75) {
            out += [61, 13, 10]
            column = 0
        }
        if literal {
            out.append(byte)
        } else {
            out.append(61)
            HexDigits.append(byte, uppercase: true, to: &out)
        }
        column += width
    }

    /// The whole of `text`, encoded.
    package static func encode(_ text: [UInt8], quotedPrintable: Bool) -> [UInt8] {
        var encoder = TextPartEncoder(quotedPrintable: quotedPrintable)
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 8 + 2)
        text.withUnsafeBytes { encoder.encode($0, into: &out) }
        encoder.finish(into: &out)
        return out
    }
}

/// What a text needs before it is written: whether it can go as 7bit (ASCII, no NUL, lines of at
/// most 998 octets, nothing that looks like mailtui's boundaries), and its encoded size either way.
/// Fed block by block, so that a file is measured without being held.
struct TextPartSurvey {
    private var sevenBit = TextPartEncoder(quotedPrintable: false)
    private var quoted = TextPartEncoder(quotedPrintable: true)
    private var scratch: [UInt8] = []
    private(set) var sevenBitSize = 0
    private(set) var quotedPrintableSize = 0
    private var asciiWithoutNUL = true
    private var lineLength = 0
    private var longestLine = 0
    /// The last bytes of the previous block, so that a marker split between blocks is still found.
    private var tail: [UInt8] = []
    private var hasBoundaryMarker = false
    private static let marker = Array("=_mailtui".utf8)

    mutating func add(_ block: UnsafeRawBufferPointer) {
        for byte in block {
            if byte >= 128 || byte == 0 { asciiWithoutNUL = false }
            if byte == 13 || byte == 10 { longestLine = max(longestLine, lineLength); lineLength = 0 } else { lineLength += 1 }
        }
        if !hasBoundaryMarker {
            let window = tail + Array(block)
            hasBoundaryMarker = window.firstRange(of: Self.marker) != nil
            tail = Array(window.suffix(Self.marker.count - 1))
        }
        scratch.removeAll(keepingCapacity: true)
        sevenBit.encode(block, into: &scratch)
        sevenBitSize += scratch.count
        scratch.removeAll(keepingCapacity: true)
        quoted.encode(block, into: &scratch)
        quotedPrintableSize += scratch.count
    }

    /// Call once, after the last block.
    mutating func finish() {
        longestLine = max(longestLine, lineLength)
        scratch.removeAll(keepingCapacity: true)
        sevenBit.finish(into: &scratch)
        sevenBitSize += scratch.count
        scratch.removeAll(keepingCapacity: true)
        quoted.finish(into: &scratch)
        quotedPrintableSize += scratch.count
    }

    var needsQuotedPrintable: Bool { !(asciiWithoutNUL && longestLine <= 998 && !hasBoundaryMarker) }
    var encodedSize: Int { needsQuotedPrintable ? quotedPrintableSize : sevenBitSize }
}
