/// Word wrapping by display width; continuation lines are indented by two columns.
enum TextWrap {
    static func wrap(_ text: String, width: Int) -> [String] {
        guard DisplayWidth.of(text) > width, width > 10 else { return [text] }
        let leading = String(text.prefix(while: { $0 == " " }))
        let indent = leading + "  "
        var lines: [String] = []
        var current = leading
        // Runs of spaces inside the text (aligned columns) are kept: empty pieces are extra spaces.
        for word in text.dropFirst(leading.count).split(separator: " ", omittingEmptySubsequences: false) {
            let atLineStart = current == leading || current == indent
            if atLineStart && word.isEmpty && current == indent { continue }
            let addition = (atLineStart ? "" : " ") + word
            if !atLineStart && !word.isEmpty && DisplayWidth.of(current) + DisplayWidth.of(addition) > width {
                lines.append(current)
                current = indent + word
            } else {
                current += addition
            }
        }
        lines.append(current)
        return lines
    }
}

extension TextWrap {
    /// A path cut in the middle to fit `width`, keeping its file name: `/home/…/certs/ca.pem`.
    static func middle(_ path: String, width: Int) -> String {
        guard DisplayWidth.of(path) > width, width > 4 else { return path }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let nameWidth = DisplayWidth.of(name)
        if nameWidth + 2 > width { return "…" + String(name.suffix(width - 1)) }
        let room = width - nameWidth - 2
        var head = ""
        for character in path {
            if DisplayWidth.of(head) + DisplayWidth.of(character) > room { break }
            head.append(character)
        }
        return head + "…/" + name
    }
}

extension TextWrap {
    /// Cuts text into rows of at most `width` columns, at spaces where it can and anywhere when a
    /// word is longer than a row (a base64 line, a long reply): nothing is lost.
    static func hard(_ text: String, width: Int) -> [String] {
        guard DisplayWidth.of(text) > width, width > 0 else { return [text] }
        var rows: [String] = []
        var current = ""
        var used = 0
        var lastSpace: (index: String.Index, used: Int)?
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width && character == " " {
                // The row is full just before a space: break there.
                rows.append(current)
                current = ""
                used = 0
                lastSpace = nil
                continue
            }
            if used + w > width {
                if let space = lastSpace, space.used > width / 3 {
                    rows.append(String(current[..<space.index]))
                    current = String(current[current.index(after: space.index)...])
                    used = DisplayWidth.of(current)
                } else {
                    rows.append(current)
                    current = ""
                    used = 0
                }
                lastSpace = nil
            }
            if character == " " { lastSpace = (current.endIndex, used) }
            current.append(character)
            used += w
        }
        rows.append(current)
        return rows
    }
}
