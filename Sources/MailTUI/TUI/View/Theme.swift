import MailCore

/// The styles of every element, in colour or (with NO_COLOR or a monochrome terminal) with
/// attributes only.
struct Theme {
    let colors: Bool

    func c(_ color: Color, bold: Bool = false, dim: Bool = false) -> Style {
        colors ? Style(foreground: color, bold: bold, dim: dim) : Style(bold: bold, dim: dim)
    }

    var rule: Style { colors ? Style(foreground: .blue) : Style(dim: true) }
    var ruleTitle: Style { c(.blue, bold: true) }
    var label: Style { colors ? Style(foreground: .cyan) : .plain }
    var focusedLabel: Style { c(.yellow, bold: true) }
    var value: Style { .plain }
    var focusedValue: Style { Style(reverse: true) }
    var activeTab: Style { Style(bold: true, underline: true) }
    var error: Style { c(.red, bold: true) }
    var warning: Style { c(.yellow, bold: true) }
    var success: Style { c(.green, bold: true) }
    var time: Style { Style(dim: true) }
    var marker: Style { c(.white, bold: true) }
    var tls: Style { c(.magenta, bold: true) }
    var statusBar: Style { colors ? Style(foreground: .black, background: .cyan) : Style(reverse: true) }
    var hintKey: Style { Style(bold: true, reverse: true) }
    var hintText: Style { .plain }
    var overlay: Style { colors ? Style(foreground: .white, background: .blue) : Style(reverse: true) }
    /// The selected row of a window: reverse video (on a window that is already reverse, without).
    var selectedRow: Style { colors ? Style(foreground: .white, background: .blue, bold: true, reverse: true) : Style(bold: true) }

    func placeholder(_ base: Style) -> Style {
        var style = base
        style.dim = true
        return style
    }

    func style(for line: TranscriptLine) -> Style {
        switch line.speaker {
        case .client: return c(.cyan)
        case .server: return line.text.first == "4" || line.text.first == "5" ? c(.yellow, bold: true) : c(.green)
        case .note: return Style(dim: true)
        case .error: return error
        }
    }
}
