/// The configuration keys Flask-Mail and Flask-Mailman read, and the names people write instead.
public enum FlaskKeys {
    /// Flask-Mail's keys.
    public static let flaskMail: Set<String> = [
        "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL", "MAIL_DEBUG", "MAIL_USERNAME", "MAIL_PASSWORD",
        "MAIL_DEFAULT_SENDER", "MAIL_MAX_EMAILS", "MAIL_SUPPRESS_SEND", "MAIL_ASCII_ATTACHMENTS",
    ]
    /// Flask-Mailman's keys beyond Flask-Mail's.
    public static let flaskMailman: Set<String> = [
        "MAIL_TIMEOUT", "MAIL_SSL_CERTFILE", "MAIL_SSL_KEYFILE", "MAIL_USE_LOCALTIME", "MAIL_FILE_PATH", "MAIL_BACKEND",
    ]
    public static var known: Set<String> { flaskMail.union(flaskMailman) }

    /// Names that are not read, and the key meant.
    public static let misnamed: [String: String] = [
        "MAIL_HOST": "MAIL_SERVER", "MAIL_SMTP_SERVER": "MAIL_SERVER", "MAIL_SMTP_HOST": "MAIL_SERVER", "MAIL_SERVER_HOST": "MAIL_SERVER",
        "MAIL_USER": "MAIL_USERNAME", "MAIL_LOGIN": "MAIL_USERNAME", "MAIL_PASS": "MAIL_PASSWORD", "MAIL_PASSWD": "MAIL_PASSWORD",
        "MAIL_USE_STARTTLS": "MAIL_USE_TLS", "MAIL_STARTTLS": "MAIL_USE_TLS", "MAIL_TLS": "MAIL_USE_TLS",
        "MAIL_SSL": "MAIL_USE_SSL", "MAIL_USE_SMTPS": "MAIL_USE_SSL",
        "MAIL_FROM": "MAIL_DEFAULT_SENDER", "MAIL_SENDER": "MAIL_DEFAULT_SENDER", "MAIL_DEFAULT_FROM": "MAIL_DEFAULT_SENDER",
        "DEFAULT_MAIL_SENDER": "MAIL_DEFAULT_SENDER", "MAIL_FROM_ADDRESS": "MAIL_DEFAULT_SENDER",
        "SMTP_HOST": "MAIL_SERVER", "SMTP_SERVER": "MAIL_SERVER", "SMTP_PORT": "MAIL_PORT", "SMTP_USER": "MAIL_USERNAME",
        "SMTP_USERNAME": "MAIL_USERNAME", "SMTP_PASSWORD": "MAIL_PASSWORD",
    ]

    /// Django's EMAIL_* settings (which Flask-Mail does not read), and the MAIL_* key for each.
    public static let django: [String: String] = [
        "EMAIL_HOST": "MAIL_SERVER", "EMAIL_PORT": "MAIL_PORT", "EMAIL_HOST_USER": "MAIL_USERNAME",
        "EMAIL_HOST_PASSWORD": "MAIL_PASSWORD", "EMAIL_USE_TLS": "MAIL_USE_TLS", "EMAIL_USE_SSL": "MAIL_USE_SSL",
        "EMAIL_TIMEOUT": "MAIL_TIMEOUT (Flask-Mailman)", "DEFAULT_FROM_EMAIL": "MAIL_DEFAULT_SENDER",
        "EMAIL_SSL_CERTFILE": "MAIL_SSL_CERTFILE (Flask-Mailman)", "EMAIL_SSL_KEYFILE": "MAIL_SSL_KEYFILE (Flask-Mailman)",
        "EMAIL_BACKEND": "MAIL_BACKEND (Flask-Mailman)",
    ]

    /// Whether a key that is not MAIL_* is worth a look: Django's, a misnaming, or a misspelt key
    /// (MAL_USE_TLS).
    static func looksLikeMail(_ key: String) -> Bool {
        misnamed[key] != nil || django[key] != nil || key.hasPrefix("EMAIL_") || key.hasPrefix("SMTP_") || meant(key) != nil
    }

    /// The known key a misspelt key was meant to be: within two edits (a swap of two neighbours is
    /// one), and one answer only. Among equally close keys, the one with the same letters wins,
    /// since a swap keeps the meaning (MAIL_USE_TSL is MAIL_USE_TLS, not MAIL_USE_SSL).
    public static func meant(_ key: String) -> String? {
        if let named = misnamed[key] ?? django[key] { return named }
        guard key.count >= 6, key.count <= 40, !known.contains(key), key == key.uppercased() else { return nil }
        guard key.hasPrefix("MAIL_") || key.contains("MAIL") || key.hasPrefix("MAL_") || key.hasPrefix("MIAL_") || key.hasPrefix("MAI_") else { return nil }
        var best: [String] = []
        var bestDistance = 3
        for candidate in known {
            let distance = editDistance(key, candidate, limit: 2)
            if distance < bestDistance {
                best = [candidate]
                bestDistance = distance
            } else if distance == bestDistance {
                best.append(candidate)
            }
        }
        if best.count > 1 {
            let letters = key.sorted()
            let sameLetters = best.filter { $0.sorted() == letters }
            if sameLetters.count == 1 { return sameLetters[0] }
        }
        // Two keys equally close: no guess.
        return best.count == 1 ? best[0] : nil
    }

    /// Edit distance where a swap of two neighbouring letters counts as one edit (optimal string
    /// alignment), stopping early past `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if abs(x.count - y.count) > limit { return limit + 1 }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var before = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            var best = current[0]
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
                best = min(best, current[j])
            }
            if best > limit { return limit + 1 }
            before = previous
            previous = current
        }
        return previous[y.count]
    }
}
