import MailCore

/// Keys in the F8 profiles and F9 history windows (`PickerKeys`).
extension AppState {
    /// F8's update: its keys are `PickerKeys.profiles`; a name or path typed in it, `PickerKeys.entry`.
    mutating func updateProfiles(_ key: Key, _ picker: ProfilePicker) -> [Effect] {
        var picker = picker
        if var path = picker.exportPath {
            switch PickerKeys.entry.action(for: key) {
            case .back?: picker.exportPath = nil
            case .save?:
                guard let export = lastExport, !path.text.trimmingSpaces.isEmpty else { break }
                picker.exportPath = nil
                overlay = .profiles(picker)
                return [.writeExport(path: path.text.trimmingSpaces, text: export.text)]
            case nil:
                if path.edit(key) { picker.exportPath = path }
            }
            overlay = .profiles(picker)
            return []
        }
        if var name = picker.naming {
            switch PickerKeys.entry.action(for: key) {
            case .back?: picker.naming = nil
            case .save?:
                let typed = name.text.trimmingSpaces
                guard Profile.isValidName(typed) else { picker.message = "A name may only use letters, digits, '-', '_' and '.'"; break }
                let password = text(.password)
                var profile = Profile(name: typed, settings: settings, from: text(.from).isEmpty ? nil : text(.from))
                if case .success(let dkim?) = DKIMSettings.parse(text(.dkim)) { profile.dkim = dkim }
                // Keep where the password comes from: the profile of that name, else the one the form came from.
                if let old = picker.profiles.first(where: { $0.name == typed }) ?? picker.profiles.first(where: { $0.name == profileName }) {
                    profile.passwordSource = old.passwordSource
                    profile.storedPassword = old.storedPassword
                }
                picker.message = Self.passwordNote(profile, typed: !password.isEmpty)
                overlay = .profiles(picker)
                return [.saveProfile(profile)]
            case nil:
                if name.edit(key) { picker.naming = name }
            }
            overlay = .profiles(picker)
            return []
        }
        switch PickerKeys.profiles.action(for: key) {
        case .close?: overlay = nil; return []
        case .up?: picker.selected = max(0, picker.selected - 1)
        case .down?: picker.selected = min(picker.itemCount(localServerAllowed: localServerAllowed) - 1, picker.selected + 1)
        case .load?:
            if localServerAllowed && picker.selected == picker.profiles.count {
                overlay = nil
                return [.useLocalServer]
            }
            let firstProvider = picker.profiles.count + (localServerAllowed ? 1 : 0)
            if picker.selected >= firstProvider, picker.selected - firstProvider < Provider.catalogue.count {
                return use(Provider.catalogue[picker.selected - firstProvider])
            }
            guard picker.selected < picker.profiles.count else { return [] }
            let profile = picker.profiles[picker.selected]
            var settings = profile.settings
            // A profile's `oauth = "NAME"`: the Account shows in the Password field's place.
            settings.oauthAccount = profile.oauthAccount ?? settings.oauthAccount
            apply(settings: settings)
            if let from = profile.from { fields[.from] = TextField(from) }
            fields[.dkim] = TextField(profile.dkim?.text ?? "")
            profileName = profile.name
            // A password already typed stays: it is what the user meant to use.
            if text(.password).isEmpty {
                passwordHint = profile.storedPassword != nil || profile.passwordSource != nil ? "(from profile \(profile.name))" : nil
            }
            overlay = nil
            notice = "Loaded profile \(profile.name)"
            return changed() + (usesOAuthAccount && !oauth.name.isEmpty ? [.loadOAuthAccount(oauth.name)] : [])
        case .saveAs?:
            picker.naming = TextField(profileName ?? "")
            picker.message = nil
        case .export?:
            let formats = SettingsExport.Format.allCases
            let format = formats[exportIndex % formats.count]
            exportIndex = (exportIndex + 1) % formats.count
            let source = picker.profiles.first { $0.name == profileName }?.passwordSource
            let text = SettingsExport.render(format, settings: settings, sender: self.text(.from).isEmpty ? nil : self.text(.from), passwordSource: source,
                                             profileName: profileName ?? "mailtui")
            lastExport = ShownExport(format: format, text: text)
            let next = formats[exportIndex].rawValue
            phase = .showing(lines: ["Export as \(format.rawValue) (F8 then e shows \(next), F8 then w saves this one to a file):", ""]
                             + text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            transcriptTop = nil
            overlay = nil
            return []
        case .saveExport?:
            guard let export = lastExport else { picker.message = "Press e first to show an export; w saves the one shown."; break }
            picker.exportPath = TextField(export.suggestedFileName)
            picker.message = nil
        case nil: break
        }
        overlay = .profiles(picker)
        return []
    }

    /// Loads a provider's preset: host, port and security (and its fixed user, as SendGrid's
    /// `apikey`); what to know about it goes to the conversation pane.
    mutating func use(_ provider: Provider) -> [Effect] {
        let preset = provider.apply(to: settings)
        apply(settings: preset)
        portEdited = preset.port != preset.security.defaultPort
        profileName = nil
        overlay = nil
        phase = .showing(lines: ["Provider preset loaded: " + provider.name, ""] + provider.summaryLines)
        transcriptTop = 0
        notice = "Loaded \(provider.name): user \(provider.user); password: \(provider.password)"
        focus = text(.user).isEmpty ? .user : .from
        return changed()
    }

    /// What saving a profile does with the password, in words.
    static func passwordNote(_ profile: Profile, typed: Bool) -> String? {
        guard profile.settings.wantsLogin else { return nil }
        if profile.storedPassword != nil { return "Its password stays stored in the profile." }
        if let source = profile.passwordSource { return "Its password will come from the \(source.description)." }
        return "Its password is not saved" + (typed ? " (the typed one is never written)" : "")
            + ": type it each time, or set password_env or password_cmd for it in profiles.toml."
    }

    /// F9's update: its keys are `PickerKeys.history`.
    mutating func updateHistory(_ key: Key, _ picker: HistoryPicker) -> [Effect] {
        var picker = picker
        switch PickerKeys.history.action(for: key) {
        case .close?: overlay = nil; return []
        case .up?: picker.selected = max(0, picker.selected - 1)
        case .down?: picker.selected = min(max(0, picker.entries.count - 1), picker.selected + 1)
        case .share?:
            guard picker.selected < picker.entries.count else { return [] }
            let entry = picker.entries[picker.selected]
            overlay = nil
            let report = ShareReport.render(entry, mailtui: RootCommand.configuration.version, client: "libcurl and OpenSSL: \(CurlRuntime.versions)",
                                            time: LocalTime.text(entry.time))
            return [.writeExport(path: ShareReport.fileNamePrefix + entry.id + ".md", text: report)]
        case .reopen?:
            guard picker.selected < picker.entries.count else { return [] }
            let entry = picker.entries[picker.selected]
            apply(settings: entry.settings)
            if let draft = entry.draft { apply(draft: draft) }
            transcript = entry.transcript
            transcriptTop = nil
            var lines = ["Re-opened \(entry.kind.rawValue) \(entry.id): \(entry.succeeded ? "ok" : "FAILED"): \(entry.result)"]
            if let explanation = entry.explanation { lines.append("  \(explanation)") }
            lines += entry.suggestions.map { "  Try: \($0)" }
            phase = .showing(lines: lines)
            profileName = entry.profile
            overlay = nil
            notice = "Re-opened \(entry.id) into the form"
            let check: [Effect] = attachments.isEmpty ? [] : [.checkAttachments(attachments.map(\.spec))]
            if let file = entry.draft?.textBodyFile ?? entry.draft?.htmlBodyFile {
                notice = "Re-opened \(entry.id): its body was sent from \(file), which the history does not keep"
            } else if entry.bodyCut == true {
                notice = "Re-opened \(entry.id): the body was longer than \(HistoryEntry.bodyLimit / 1024) KiB and only its start was kept"
            }
            return changed() + check
        case nil: break
        }
        overlay = .history(picker)
        return []
    }
}
