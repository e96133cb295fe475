import MailCore

/// The compose screen behaves as the app will: with an imported config the app cannot send with
/// (MAIL_USE_TLS and MAIL_USE_SSL both on), F5 fails where Flask-Mail fails and says why, until
/// the user picks the Security themselves or started with `--as-intended`. A quiet send with
/// implicit TLS would tell the user the config works when the app cannot send at all.
extension AppState {
    /// Called right after the imported settings filled the form. `intended` is the config as it
    /// was meant (one TLS mode, chosen by the port); with `asIntended` the form takes it and F5
    /// sends the way that works, else F5 fails as the app does.
    mutating func importedBothTLSModes(intended: ServerSettings, asIntended: Bool) {
        var failure = SessionFailure.flaskBothTLSModes(host: settings.host, port: settings.effectivePort)
        failure.suggestions.append("to send as the config meant, choose the Security yourself (TLS for 465, STARTTLS for 587), or start mailtui with --as-intended.")
        guard asIntended else {
            appWillFail = failure
            notice = "The app will fail at STARTTLS after implicit TLS (MAIL_USE_TLS and MAIL_USE_SSL both on): set MAIL_USE_TLS=False, MAIL_USE_SSL=True on 465, or the reverse on 587. F5 fails as the app does"
            return
        }
        apply(settings: intended)
        appWillFail = nil
        notice = "--as-intended: F5 sends with \(security.displayName) on port \(text(.port)), as the config meant; the app itself fails at STARTTLS after implicit TLS"
    }

    /// What the import review says of it: what the app will do, then what would work.
    func appWillFailLines(asIntended: Bool) -> [String] {
        guard asIntended || appWillFail != nil else { return [] }
        var lines = ["", "What the app will do:",
                     "  ✗ It fails at STARTTLS after implicit TLS: with MAIL_USE_TLS and MAIL_USE_SSL both on, Flask-Mail opens smtplib.SMTP_SSL, says EHLO, then calls starttls(), which fails (\"STARTTLS extension not supported by server\"); no mail leaves.",
                     "What would work:",
                     "  MAIL_USE_TLS=False with MAIL_USE_SSL=True on port 465 (implicit TLS), or MAIL_USE_TLS=True with MAIL_USE_SSL=False on port 587 (STARTTLS)."]
        if asIntended {
            lines.append("  --as-intended: F5 sends with \(security.displayName) on port \(text(.port)), as the config meant.")
        } else {
            lines.append("  F5 fails as the app does until you choose the Security yourself, or start mailtui with --as-intended.")
        }
        return lines
    }

    /// Whether F5 must fail as the app does: nothing was changed that the app would not do, and the
    /// send goes as far as the STARTTLS the app asks for.
    var sendFailsAsTheApp: SessionFailure? {
        guard let appWillFail, quitAfter.map({ $0 >= .tls }) ?? true else { return nil }
        return appWillFail
    }

    /// The user chose the Security themselves: from now on F5 sends with it.
    mutating func securityChosenByUser() {
        guard appWillFail != nil else { return }
        appWillFail = nil
        notice = "F5 now sends with \(security.displayName), as you chose, not as the app does (the app fails at STARTTLS after implicit TLS)"
    }
}
