/// A rectangle on the screen.
struct Rect: Equatable, Sendable {
    var x: Int, y: Int, width: Int, height: Int
    static let zero = Rect(x: 0, y: 0, width: 0, height: 0)
}

/// Where everything goes for a terminal size. From 80x24 up the form, the body and the
/// conversation are stacked; from 150 columns the conversation moves beside the form.
struct Layout: Equatable, Sendable {
    static let minimumWidth = 80
    static let minimumHeight = 24

    var fits: Bool
    /// The value area of each field (labels sit to their left).
    var fields: [FieldID: Rect] = [:]
    var labels: [FieldID: Rect] = [:]
    var serverRule = Rect.zero
    var messageRule = Rect.zero
    var bodyRule = Rect.zero
    var body = Rect.zero
    var transcriptRule = Rect.zero
    var transcript = Rect.zero
    var status = Rect.zero
    var hints = Rect.zero

    init(width: Int, height: Int) {
        fits = width >= Self.minimumWidth && height >= Self.minimumHeight
        guard fits else { return }
        let sideBySide = width >= 150
        // Side by side, the conversation gets two fifths (at least 70 columns) and the form the rest.
        let formWidth = sideBySide ? max(80, width - max(70, width * 2 / 5)) : width
        status = Rect(x: 0, y: height - 2, width: width, height: 1)
        hints = Rect(x: 0, y: height - 1, width: width, height: 1)

        var y = 0
        serverRule = Rect(x: 0, y: y, width: formWidth, height: 1); y += 1
        row(y, formWidth, [(.host, 4, 3), (.port, 6, 0), (.security, 12, 0)]); y += 1
        row(y, formWidth, [(.user, 4, 2), (.password, 4, 2), (.auth, 10, 0)]); y += 1
        row(y, formWidth, [(.verify, 3, 0), (.caFile, 4, 3), (.helo, 4, 2), (.timeout, 3, 0), (.quitAfter, 13, 0)]); y += 1
        messageRule = Rect(x: 0, y: y, width: formWidth, height: 1); y += 1
        for id in [FieldID.from, .to] { row(y, formWidth, [(id, 10, 1)]); y += 1 }
        row(y, formWidth, [(.cc, 6, 1), (.bcc, 6, 1)]); y += 1
        row(y, formWidth, [(.replyTo, 10, 1), (.allowPartial, 3, 0)]); y += 1
        row(y, formWidth, [(.subject, 10, 3), (.dsn, 16, 1)]); y += 1
        row(y, formWidth, [(.attachments, 10, 3), (.dkim, 6, 1), (.count, 7, 0)]); y += 1
        bodyRule = Rect(x: 0, y: y, width: formWidth, height: 1); y += 1

        let bottom = height - 2
        if sideBySide {
            body = Rect(x: 0, y: y, width: formWidth, height: bottom - y)
            transcriptRule = Rect(x: formWidth + 1, y: 0, width: width - formWidth - 1, height: 1)
            transcript = Rect(x: formWidth + 1, y: 1, width: width - formWidth - 1, height: bottom - 1)
        } else {
            let free = bottom - y - 1
            let bodyHeight = max(3, free * 4 / 9)
            body = Rect(x: 0, y: y, width: width, height: bodyHeight)
            transcriptRule = Rect(x: 0, y: y + bodyHeight, width: width, height: 1)
            transcript = Rect(x: 0, y: y + bodyHeight + 1, width: width, height: bottom - (y + bodyHeight + 1))
        }
    }

    /// Lays out one row of labelled fields: each gets its label, a minimum value width, and a
    /// share of the spare width by weight.
    private mutating func row(_ y: Int, _ width: Int, _ items: [(FieldID, minimum: Int, weight: Int)]) {
        let labelWidths = items.map { Self.labelWidth($0.0) }
        let fixed = zip(items, labelWidths).reduce(0) { $0 + $1.1 + $1.0.minimum + 2 } + 1
        let spare = max(0, width - fixed)
        let totalWeight = max(1, items.reduce(0) { $0 + $1.weight })
        var x = 1
        for (index, item) in items.enumerated() {
            var valueWidth = item.minimum + spare * item.weight / totalWeight
            if index == items.count - 1 && item.weight > 0 { valueWidth = max(item.minimum, width - x - labelWidths[index] - 1) }
            labels[item.0] = Rect(x: x, y: y, width: labelWidths[index], height: 1)
            fields[item.0] = Rect(x: x + labelWidths[index], y: y, width: valueWidth, height: 1)
            x += labelWidths[index] + valueWidth + (items.count > 4 ? 1 : 2)
        }
    }

    /// Message labels are right-aligned to one width, like neomutt's compose screen.
    static func labelWidth(_ id: FieldID) -> Int {
        switch id {
        case .from, .to, .cc, .replyTo, .subject, .attachments: 10
        default: id.label.count + 1
        }
    }
}
