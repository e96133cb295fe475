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
