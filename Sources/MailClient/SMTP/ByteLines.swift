/// Splitting received or logged bytes into protocol lines, the one way both speakers use: at CR
/// and at LF, empty pieces dropped. libcurl's debug text and the replies mailtui reads itself are
/// cut alike, so that a server's bare CR means the same thing in either part of the session.
enum ByteLines {
    static func split(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == 13 || byte == 10 {
                if !current.isEmpty { lines.append(current); current = [] }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
