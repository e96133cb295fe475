import MailCore

/// Keys within the form's fields: the focused field takes the key after the screen's commands
/// (`KeyMap`) have had it. Which keys do what is in `FormKeys`, `TextField.keys` and `TextArea.keys`.
extension AppState {
    /// A key for the focused field.
    mutating func updateForm(_ key: Key) -> [Effect] {
        switch focus {
        case .security: return cycleSecurity(key)
        case .quitAfter: return cycleQuitAfter(key)
        case .auth: return cycleAuth(key)
        case .verify: return toggle(key) { $0.verifyCertificate.toggle(); return $0.changed() }
        case .allowPartial: return toggle(key) { $0.allowPartial.toggle(); return [] }
        case .body: return editBody(key)
        case .password where usesOAuthAccount: return updateOAuthAccount(key)
        case .transcript: return updateConversation(key)
        default: return editText(key)
        }
    }

    mutating func moveFocus(_ step: Int) {
        let all = FieldID.allCases
        let index = all.firstIndex(of: focus) ?? 0
        focus = all[(index + step + all.count) % all.count]
    }

    /// Whether the field holds a value the form derived (shown dim), not one the user typed.
    func showsDerivedDefault(_ id: FieldID) -> Bool { id == .port && !portEdited }

    // MARK: Text fields

    private mutating func editText(_ key: Key) -> [Effect] {
        guard var field = fields[focus] else { return [] }
        if focus == .attachments, let action = FormKeys.attach.action(for: key) {
            switch action {
            case .add where !field.isEmpty:
                fields[.attachments] = TextField()
                return [.inspectAttachment(AttachmentSpec(path: field.text.trimmingSpaces))]
            case .remove where field.isEmpty: return removeAttachment()
            case .select:
                if !attachments.isEmpty { selectedAttachment = (selectedAttachment + 1) % attachments.count }
                return []
            default: break
            }
        }
        let before = field
        switch key {
        case .character(let c):
            if focus == .port || focus == .count { guard c.isNumber, c.isASCII else { return [] } }
            if focus == .timeout { guard c.isASCII, c.isNumber || c == "." else { return [] } }
            // A port that follows the security choice is shown dim, as a placeholder: typing replaces it.
            if showsDerivedDefault(focus) { field = TextField() }
            field.insert(String(c))
        case _ where showsDerivedDefault(focus) && TextField.keys.action(for: key).map({ [.backspace, .delete].contains($0) }) == true:
            field = TextField()
        default:
            guard field.edit(key) else { return move(key) }
        }
        guard field != before else { return [] }
        fields[focus] = field
        if focus == .port { portEdited = !field.isEmpty }
        fieldErrors[focus] = nil
        return focus == .attachments ? [] : changed()
    }

    private mutating func removeAttachment() -> [Effect] {
        guard !attachments.isEmpty else { return [] }
        let removed = attachments.remove(at: min(selectedAttachment, attachments.count - 1))
        selectedAttachment = max(0, min(selectedAttachment, attachments.count - 1))
        notice = "Removed \(removed.name)"
        fieldErrors[.attachments] = attachments.compactMap(\.problem).first
        return changed()
    }

    /// ↑ ↓ Enter from within a field that does not take them.
    private mutating func move(_ key: Key) -> [Effect] {
        switch FormKeys.moving.action(for: key) {
        case .previous?: moveFocus(-1)
        case .next?: moveFocus(1)
        case nil: break
        }
        return []
    }

    // MARK: Choices and toggles

    /// A choice field's new value for a key: ← → and Space step, a letter picks the choice that
    /// starts with it; anything else changes nothing.
    private mutating func choose<T: Equatable>(_ key: Key, in all: [T], current: T, name: (T) -> String) -> T? {
        let step: Int? = switch FormKeys.choice.action(for: key) {
        case .previous?: -1
        case .next?: 1
        default: nil
        }
        if let step, let index = all.firstIndex(of: current) {
            return all[(index + step + all.count) % all.count]
        }
        guard case .character(let c) = key, c.isLetter else { return nil }
        if let match = all.first(where: { name($0).lowercased().hasPrefix(c.lowercased()) }) { return match }
        notice = "\(focus.label): " + all.map(name).joined(separator: ", ") + " (← → Space, or the first letter)"
        return nil
    }

    private mutating func cycleSecurity(_ key: Key) -> [Effect] {
        guard let chosen = choose(key, in: SecurityMode.allCases, current: security, name: \.displayName) else { return move(key) }
        security = chosen
        if !portEdited { fields[.port] = TextField(String(security.defaultPort)) }
        securityChosenByUser()
        return changed()
    }

    private mutating func cycleQuitAfter(_ key: Key) -> [Effect] {
        let all: [SMTPStage?] = [nil] + SessionRequest.quitAfterStages
        guard let chosen = choose(key, in: all, current: quitAfter, name: { $0?.displayName ?? "deliver" }) else { return move(key) }
        quitAfter = chosen
        return []
    }

    private mutating func cycleAuth(_ key: Key) -> [Effect] {
        guard let chosen = choose(key, in: AuthMechanism.allCases, current: authMechanism, name: \.rawValue) else { return move(key) }
        authMechanism = chosen
        return changed() + (usesOAuthAccount && !oauth.name.isEmpty && oauth.status == nil ? [.loadOAuthAccount(oauth.name)] : [])
    }

    private mutating func toggle(_ key: Key, _ change: (inout AppState) -> [Effect]) -> [Effect] {
        guard FormKeys.toggle.action(for: key) == .toggle else { return move(key) }
        return change(&self)
    }

    // MARK: Body

    private mutating func editBody(_ key: Key) -> [Effect] {
        guard var area = bodies[bodyTab] else { return [] }
        // Taken out while it is edited: a copy left in the dictionary would make every key press
        // copy the whole text.
        bodies[bodyTab] = nil
        defer { bodies[bodyTab] = area }
        let revision = area.revision
        guard area.edit(key) else { return [] }
        area.keepCursorVisible(height: Layout(width: width, height: height).body.height)
        guard area.revision != revision else { return [] }
        fieldErrors[.body] = nil
        return changed()
    }
}
