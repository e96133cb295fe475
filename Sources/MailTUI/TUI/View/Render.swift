import MailCore

/// Draws the state into a cell buffer. Pure: the same state always gives the same screen.
enum Renderer {
    static func render(_ state: AppState) -> ScreenBuffer {
        var screen = ScreenBuffer(width: state.width, height: state.height)
        let layout = Layout(width: state.width, height: state.height)
        guard layout.fits else {
            tooSmall(state, into: &screen)
            return screen
        }
        let theme = Theme(colors: state.colors)
        if let serving = state.serving {
            ServeScreen.draw(state, header: serving, theme, into: &screen)
            return screen
        }
        rule(" Server ", layout.serverRule, theme, into: &screen, right: " mailtui ")
        rule(" Message ", layout.messageRule, theme, into: &screen)
        for id in FieldID.allCases where id != .body && id != .transcript { field(id, state, layout, theme, into: &screen) }
        body(state, layout, theme, into: &screen)
        transcript(state, layout, theme, into: &screen)
        status(state, layout, theme, into: &screen)
        hints(state, layout, theme, into: &screen)
        if let overlay = state.overlay { draw(overlay, state, theme, into: &screen) }
        return screen
    }

    // MARK: Pieces

    static func rule(_ title: String, _ rect: Rect, _ theme: Theme, into screen: inout ScreenBuffer, right: String? = nil) {
        guard rect.width > 0 else { return }
        screen.put(String(repeating: "─", count: rect.width), x: rect.x, y: rect.y, style: theme.rule)
        screen.put("─" + title, x: rect.x, y: rect.y, style: theme.ruleTitle)
        if let right {
            screen.put(right, x: rect.x + rect.width - DisplayWidth.of(right) - 1, y: rect.y, style: theme.ruleTitle)
        }
    }

    static func field(_ id: FieldID, _ state: AppState, _ layout: Layout, _ theme: Theme, into screen: inout ScreenBuffer) {
        guard let rect = layout.fields[id], let labelRect = layout.labels[id] else { return }
        let focused = state.focus == id && state.overlay == nil
        let hasError = state.fieldErrors[id] != nil
        let label = id == .password && state.usesOAuthAccount ? "Account" : id.label
        let labelStyle = hasError ? theme.error : (focused ? theme.focusedLabel : theme.label)
        let labelText = String(repeating: " ", count: max(0, labelRect.width - label.count - 1)) + label
        screen.put(labelText, x: labelRect.x, y: labelRect.y, style: labelStyle, maxWidth: labelRect.width)
        let valueStyle = focused ? theme.focusedValue : theme.value
        screen.fill(x: rect.x, y: rect.y, width: rect.width, height: 1, style: valueStyle)
        switch id {
        case .security:
            screen.put("‹ \(state.security.displayName) ›", x: rect.x, y: rect.y, style: valueStyle, maxWidth: rect.width)
        case .auth:
            screen.put("‹ \(state.authMechanism.rawValue) ›", x: rect.x, y: rect.y, style: valueStyle, maxWidth: rect.width)
        case .quitAfter:
            screen.put("‹ \(state.quitAfter?.displayName ?? "deliver") ›", x: rect.x, y: rect.y, style: state.quitAfter == nil ? valueStyle : theme.warning, maxWidth: rect.width)
        case .allowPartial:
            screen.put(state.allowPartial ? "[x]" : "[ ]", x: rect.x, y: rect.y, style: valueStyle, maxWidth: rect.width)
        case .verify:
            screen.put(state.verifyCertificate ? "[x]" : "[ ]", x: rect.x, y: rect.y, style: state.verifyCertificate ? valueStyle : (focused ? valueStyle : theme.warning), maxWidth: rect.width)
        case .attachments:
            attachmentsField(state, rect, focused, valueStyle, theme, into: &screen)
        case .password where state.usesOAuthAccount:
            oauthAccountField(state, rect, focused, valueStyle, theme, into: &screen)
        default:
            var field = state.fields[id] ?? TextField()
            if id == .password { field = masked(field) }
            if id == .port && !state.portEdited && !focused {
                screen.put(field.text, x: rect.x, y: rect.y, style: theme.placeholder(valueStyle), maxWidth: rect.width)
                return
            }
            if id == .caFile && !focused && DisplayWidth.of(field.text) > rect.width {
                screen.put(TextWrap.middle(field.text, width: rect.width), x: rect.x, y: rect.y, style: valueStyle, maxWidth: rect.width)
                return
            }
            let shown = field.visible(width: rect.width)
            if shown.text.isEmpty && !focused, let hint = id == .password ? state.passwordPlaceholder : placeholder(id) {
                screen.put(hint, x: rect.x, y: rect.y, style: theme.placeholder(valueStyle), maxWidth: rect.width)
            } else {
                screen.put(shown.text, x: rect.x, y: rect.y, style: valueStyle, maxWidth: rect.width)
            }
            if focused { screen.cursor = (rect.x + shown.cursorColumn, rect.y) }
        }
    }

    static func masked(_ field: TextField) -> TextField {
        var copy = TextField(String(repeating: "•", count: field.text.count))
        copy.moveCursor(to: field.text.count)
        return copy
    }

    static func placeholder(_ id: FieldID) -> String? {
        switch id {
        case .host: "smtp.example.com"
        case .from: "App <noreply@example.com>"
        case .to: "one or more addresses, comma-separated"
        case .user: "(no login)"
        case .helo: "(auto)"
        case .caFile: "(system CAs)"
        case .timeout: "30"
        case .attachments: "type a path, Enter adds it"
        case .dsn: "(none) success,failure hdrs envid=…"
        case .dkim: "(unsigned) s1 key.pem"
        case .count: "1"
        default: nil
        }
    }

    /// The Attach field: the path being typed, then every attachment with its size (the one Delete
    /// would remove marked ▸ while the field has the focus); a file that is gone is marked ✗.
    static func attachmentsField(_ state: AppState, _ rect: Rect, _ focused: Bool, _ style: Style, _ theme: Theme, into screen: inout ScreenBuffer) {
        let input = state.fields[.attachments] ?? TextField()
        func describe(_ item: AttachmentItem) -> String {
            item.problem.map { "\(item.name) ✗ \($0)" } ?? "\(item.name) (\(item.size.map { ByteCount.human($0) } ?? "checking…"))"
        }
        var x = rect.x
        if focused || state.attachments.isEmpty {
            let inputWidth = state.attachments.isEmpty ? rect.width : max(16, rect.width / 3)
            let shown = input.visible(width: inputWidth)
            if shown.text.isEmpty && !focused {
                screen.put(placeholder(.attachments)!, x: rect.x, y: rect.y, style: theme.placeholder(style), maxWidth: inputWidth)
            } else {
                screen.put(shown.text, x: rect.x, y: rect.y, style: style, maxWidth: inputWidth)
            }
            if focused { screen.cursor = (rect.x + shown.cursorColumn, rect.y) }
            x += inputWidth + 1
        }
        let end = rect.x + rect.width
        for (index, item) in state.attachments.enumerated() where x < end {
            let selected = focused && index == min(state.selectedAttachment, state.attachments.count - 1)
            let text = (selected ? "▸" : "") + describe(item) + (index < state.attachments.count - 1 ? "," : "")
            x += screen.put(text, x: x, y: rect.y, style: item.problem != nil ? theme.error : (focused ? theme.value : style), maxWidth: end - x) + 1
        }
    }

    static func body(_ state: AppState, _ layout: Layout, _ theme: Theme, into screen: inout ScreenBuffer) {
        let focused = state.focus == .body && state.overlay == nil
        var x = layout.bodyRule.x
        screen.put(String(repeating: "─", count: layout.bodyRule.width), x: x, y: layout.bodyRule.y, style: theme.rule)
        x += screen.put("─ ", x: x, y: layout.bodyRule.y, style: theme.rule)
        for tab in BodyTab.allCases {
            let isEmpty = state.bodies[tab]?.isEmpty ?? true
            let title = " \(tab.title)\(isEmpty ? "" : "•") "
            let style = tab == state.bodyTab ? (focused ? theme.focusedValue : theme.activeTab) : theme.ruleTitle
            x += screen.put(title, x: x, y: layout.bodyRule.y, style: style) + 1
        }
        if state.fieldErrors[.body] != nil {
            screen.put(" ✗ ", x: x, y: layout.bodyRule.y, style: theme.error)
        }
        let area = state.bodies[state.bodyTab] ?? TextArea()
        let rect = layout.body
        let visible = area.visible(width: rect.width - 2, height: rect.height)
        if area.isEmpty && !focused {
            let hint = state.bodyTab == .headers ? "One 'Name: value' per line" : "Tab here to type; F4 opens $EDITOR"
            screen.put(hint, x: rect.x + 1, y: rect.y, style: theme.placeholder(theme.value))
        }
        for (index, line) in visible.rows.enumerated() {
            screen.put(line, x: rect.x + 1, y: rect.y + index, style: theme.value, maxWidth: rect.width - 2)
        }
        if focused { screen.cursor = (rect.x + 1 + visible.cursor.x, rect.y + visible.cursor.y) }
    }

    static func transcript(_ state: AppState, _ layout: Layout, _ theme: Theme, into screen: inout ScreenBuffer) {
        let focused = state.focus == .transcript && state.overlay == nil
        rule(" Conversation ", layout.transcriptRule, theme, into: &screen)
        if focused { screen.restyle(x: layout.transcriptRule.x + 1, y: layout.transcriptRule.y, width: 14, style: theme.focusedValue) }
        let rect = layout.transcript
        // Computed once: the result block is laid out and word-wrapped.
        let results = state.resultLines
        let all = state.transcript.count + results.count
        if all == 0 {
            screen.put("Press F5 to send. The SMTP conversation appears here as it happens.", x: rect.x + 1, y: rect.y, style: theme.placeholder(theme.value), maxWidth: rect.width - 2)
            return
        }
        // Each entry's rows, wrapped to the pane; only the entries on screen are wrapped.
        func rows(_ index: Int) -> [(text: String, x: Int, style: Style, line: TranscriptLine?)] {
            guard index < state.transcript.count else {
                let (text, kind) = results[index - state.transcript.count]
                return [(text, rect.x + 1, kind == .error ? theme.error : kind == .success ? theme.success : theme.value, nil)]
            }
            let line = state.transcript[index]
            let prefix = line.elapsedText + " " + line.marker + " "
            let textWidth = max(10, rect.width - 1 - DisplayWidth.of(prefix))
            return TextWrap.hard(line.text, width: textWidth).map { ($0, rect.x + 1 + DisplayWidth.of(prefix), theme.style(for: line), line) }
        }
        var first = state.transcriptTop ?? all - 1
        var skip = 0
        if state.transcriptTop == nil {
            // Following the end: fill the pane upwards from the last entry.
            var used = 0
            while first >= 0 {
                used += rows(first).count
                if used >= rect.height { skip = used - rect.height; break }
                first -= 1
            }
            first = max(0, first)
        }
        var y = rect.y
        var index = first
        while y < rect.y + rect.height && index < all {
            for (number, row) in rows(index).enumerated() where skip == 0 || number >= skip {
                guard y < rect.y + rect.height else { break }
                if number == 0, let line = row.line {
                    var x = rect.x + 1
                    x += screen.put(line.elapsedText + " ", x: x, y: y, style: theme.time)
                    screen.put(line.marker + " ", x: x, y: y, style: line.inTLS ? theme.tls : theme.marker)
                }
                screen.put(row.text, x: row.x, y: y, style: row.style, maxWidth: rect.x + rect.width - row.x)
                y += 1
            }
            skip = 0
            index += 1
        }
        if state.transcriptTop != nil, index < all {
            let more = " ↓ \(all - index) more (End follows) "
            screen.put(more, x: rect.x + rect.width - DisplayWidth.of(more) - 1, y: layout.transcriptRule.y, style: theme.warning)
        }
    }

    static func status(_ state: AppState, _ layout: Layout, _ theme: Theme, into screen: inout ScreenBuffer) {
        let rect = layout.status
        screen.fill(x: rect.x, y: rect.y, width: rect.width, height: 1, style: theme.statusBar)
        let (text, style) = state.statusText(theme)
        screen.put(" " + text, x: rect.x, y: rect.y, style: style, maxWidth: rect.width)
    }

    /// The hint bar: as many keys as fit, in order, but F1 Help, F10 Quit and the way back (Esc)
    /// always.
    static func hints(_ state: AppState, _ layout: Layout, _ theme: Theme, into screen: inout ScreenBuffer) {
        func width(_ hint: Hint) -> Int { DisplayWidth.of(hint.keys) + DisplayWidth.of(hint.words) + 3 }
        func always(_ hint: Hint) -> Bool { ["F1", "F10", "Esc"].contains(hint.keys) }
        let all = state.hintKeys
        var budget = layout.hints.width - all.filter(always).reduce(0) { $0 + width($1) }
        var shown: [Hint] = []
        for hint in all {
            if always(hint) { shown.append(hint); continue }
            guard width(hint) <= budget else { continue }
            budget -= width(hint)
            shown.append(hint)
        }
        var x = layout.hints.x
        for hint in shown {
            x += screen.put(hint.keys, x: x, y: layout.hints.y, style: theme.hintKey)
            x += screen.put(" " + hint.words + "  ", x: x, y: layout.hints.y, style: theme.hintText)
        }
    }

    static func tooSmall(_ state: AppState, into screen: inout ScreenBuffer) {
        let lines = ["Terminal too small", "mailtui needs \(Layout.minimumWidth)x\(Layout.minimumHeight),", "this one is \(state.width)x\(state.height).", "Enlarge it, or F10 to quit."]
        for (index, line) in lines.enumerated() {
            let y = max(0, state.height / 2 - 2) + index
            screen.put(line, x: max(0, (state.width - DisplayWidth.of(line)) / 2), y: y, style: Style(bold: index == 0))
        }
        screen.cursor = nil
    }
}

