extension Provider {
    /// The DKIM selectors the provider usually signs with, where they are fixed.
    public var dkimSelectors: [String] {
        switch id {
        case "gmail": ["google"]
        case "microsoft365", "outlook": ["selector1", "selector2"]
        case "sendgrid": ["s1", "s2"]
        case "mailgun", "mailgun-eu": ["k1", "mx"]
        case "brevo": ["mail"]
        case "mailjet": ["mailjet"]
        case "fastmail": ["fm1", "fm2", "fm3"]
        case "icloud": ["sig1"]
        default: []
        }
    }
}

extension Provider {
    /// Providers that send only as the login's own address (or its verified aliases).
    package var sendsOnlyAsItsLogin: Bool {
        ["gmail", "microsoft365", "outlook", "icloud", "yahoo", "zoho", "fastmail"].contains(id)
    }
}
