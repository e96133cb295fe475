/// Where a caught message's view is scrolled to. Its lines wrap at the screen's edge (nothing is
/// cut off), so the top is a line and a row within it; only the lines passed or shown are wrapped,
/// never the whole message.
extension MessageView {
    /// The columns a line wraps at: the screen less a blank column at each side.
    static func textWidth(screen width: Int) -> Int { max(10, width - 2) }

    /// A line's rows on screen.
    static func wrap(_ line: String, width: Int) -> [String] { TextWrap.hard(line, width: width) }

    /// The rows shown from the top, each with the line it belongs to.
    func shownRows(width: Int, rows: Int) -> [(text: String, line: Int)] {
        let lines = self.lines(tab)
        var shown: [(text: String, line: Int)] = []
        var index = top
        var skip = topRow
        while shown.count < rows && index < lines.count {
            let wrapped = Self.wrap(lines[index], width: width)
            for text in wrapped.dropFirst(min(skip, wrapped.count - 1)) where shown.count < rows { shown.append((text, index)) }
            skip = 0
            index += 1
        }
        return shown
    }

    /// Moves the top by `delta` rows, within the lines.
    mutating func scroll(by delta: Int, width: Int) {
        let lines = self.lines(tab)
        guard !lines.isEmpty else { top = 0; topRow = 0; return }
        top = min(max(0, top), lines.count - 1)
        var left = delta
        while left > 0 {
            let count = Self.wrap(lines[top], width: width).count
            if topRow + 1 < count { topRow += 1 } else if top + 1 < lines.count { top += 1; topRow = 0 } else { break }
            left -= 1
        }
        while left < 0 {
            if topRow > 0 { topRow -= 1 } else if top > 0 { top -= 1; topRow = Self.wrap(lines[top], width: width).count - 1 } else { break }
            left += 1
        }
    }

    /// Puts the top at a line's first row.
    mutating func scroll(toLine line: Int) {
        top = max(0, min(line, lines(tab).count - 1))
        topRow = 0
    }

    /// The top at which the last row of the last line is at the bottom of `rows`.
    mutating func scrollToEnd(width: Int, rows: Int) {
        let lines = self.lines(tab)
        top = lines.count
        topRow = 0
        var used = 0
        while top > 0 {
            let count = Self.wrap(lines[top - 1], width: width).count
            top -= 1
            if used + count >= rows {
                topRow = max(0, used + count - rows)
                return
            }
            used += count
        }
    }
}
