#if canImport(Glibc)
import Glibc
#endif

/// The dates `after:` and `before:` take, in seconds since 1970: `2024-05-01` (its midnight),
/// `2024-05-01T09:30`, `2024-05-01 09:30:15`, with `Z` or `+02:00` for a zone (else the zone
/// given, or this machine's), and plain seconds since 1970. Mailpit reads many more ways of
/// writing a date; these are the ones a script writes. Nil for anything else.
public enum SearchDate {
    public static func seconds(_ text: String, utcOffsetSeconds: Int? = nil) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count <= 40 else { return nil }
        if bytes.count >= 9, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return Int(text) }
        var reader = Reader(bytes: bytes)
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"), let day = reader.number(2),
              (1...12).contains(month), (1...31).contains(day), year >= 1970 else { return nil }
        var hour = 0, minute = 0, second = 0
        if reader.skip("T") || reader.skip("t") || reader.skip(" ") {
            guard let h = reader.number(2), reader.skip(":"), let m = reader.number(2), h < 24, m < 60 else { return nil }
            hour = h
            minute = m
            if reader.skip(":") {
                guard let s = reader.number(2), s < 61 else { return nil }
                second = s
            }
        }
        var offset = utcOffsetSeconds
        if reader.skip("Z") || reader.skip("z") {
            offset = 0
        } else if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            reader.index += 1
            guard let h = reader.number(2) else { return nil }
            _ = reader.skip(":")
            guard let m = reader.number(2), h < 24, m < 60 else { return nil }
            offset = (h * 3600 + m * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        guard reader.index == bytes.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        guard let offset else {
            parts.tm_isdst = -1
            return Int(mktime(&parts))
        }
        return Int(timegm(&parts)) - offset
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skip(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue, peek == ascii else { return false }
            index += 1
            return true
        }

        /// Exactly `digits` decimal digits.
        mutating func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + digits)] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += digits
            return value
        }
    }
}
