/// The checks of a message's HTML that need nothing but the HTML: Gmail's clipping, dark mode,
/// accessibility, links and images, and how the text part compares.
enum HTMLChecks {
    /// Gmail shows "[Message clipped]" and hides the rest (the unsubscribe link often) past this
    /// many bytes of HTML.
    static let gmailClipping = 102 * 1024

    static func clipping(htmlSize: Int) -> [MessageCheck.Finding] {
        let size = ByteCount.human(htmlSize)
        if htmlSize > gmailClipping {
            return [.init(.html, .problem, "The HTML is \(size), \(ByteCount.human(htmlSize - gmailClipping)) over Gmail's 102 KiB: Gmail clips it and hides the rest.",
                          fix: "Cut inline CSS repeated on every element, comments and unused markup, or move content to a web page.")]
        }
        return [.init(.html, .ok, "The HTML is \(size), \(ByteCount.human(gmailClipping - htmlSize)) under Gmail's 102 KiB clipping limit.")]
    }

    static func darkMode(_ html: HTMLScan) -> [MessageCheck.Finding] {
        var found: [MessageCheck.Finding] = []
        if html.colorSchemeMeta {
            found.append(.init(.darkMode, .ok, "A color-scheme meta tag says which schemes the message supports."))
        } else {
            found.append(.init(.darkMode, .warning, "No color-scheme meta tag: Apple Mail and others invert or keep colours by their own guess.",
                               fix: "Add <meta name=\"color-scheme\" content=\"light dark\"> and <meta name=\"supported-color-schemes\" content=\"light dark\"> to the head."))
        }
        if html.mediaQueries.contains(where: { $0.contains("prefers-color-scheme") }) {
            found.append(.init(.darkMode, .ok, "A prefers-color-scheme media query gives dark-mode styles."))
        } else {
            found.append(.init(.darkMode, .warning, "No @media (prefers-color-scheme: dark) styles: in dark mode the clients that honour them get none.",
                               fix: "Add a <style> block with @media (prefers-color-scheme: dark) { … } setting text and background colours."))
        }
        if html.coloursWithoutBackground > 0 {
            found.append(.init(.darkMode, .warning, "\(html.coloursWithoutBackground) element\(html.coloursWithoutBackground == 1 ? " sets" : "s set") a text colour with no background around \(html.coloursWithoutBackground == 1 ? "it" : "them") (first: \(html.firstColourWithoutBackground ?? "")): dark text can land on a dark background.",
                               fix: "Set a background colour (bgcolor or background-color) on the element or a container whenever you set a text colour."))
        }
        return found
    }

    static let vagueLinkTexts: Set<String> = ["click here", "here", "click", "read more", "more", "link", "this link", "click this link", "learn more"]

    static func accessibility(_ html: HTMLScan) -> [MessageCheck.Finding] {
        var found: [MessageCheck.Finding] = []
        let noAlt = html.images.filter { $0.alt == nil }
        if let first = noAlt.first {
            found.append(.init(.accessibility, .problem, "\(noAlt.count) image\(noAlt.count == 1 ? "" : "s") without alt (first: \(first.src.isEmpty ? "no src" : first.src)): screen readers read the file name, and clients that block images show nothing.",
                               fix: "Give every <img> an alt: what the image says, or alt=\"\" when it is decoration."))
        } else if !html.images.isEmpty {
            found.append(.init(.accessibility, .ok, "Every image has an alt attribute."))
        }
        if let lang = html.lang, !lang.trimmingSpaces.isEmpty {
            found.append(.init(.accessibility, .ok, "The language is given (lang=\"\(lang)\")."))
        } else {
            found.append(.init(.accessibility, .warning, "No lang on <html>: screen readers guess the language and may read it with the wrong voice.",
                               fix: "Write <html lang=\"en\"> (the message's language)."))
        }
        if html.tablesWithoutPresentationRole > 0 {
            found.append(.init(.accessibility, .warning, "\(html.tablesWithoutPresentationRole) of \(html.tables) table\(html.tables == 1 ? "" : "s") without role=\"presentation\": screen readers announce layout tables as data, row by row.",
                               fix: "Add role=\"presentation\" to every table used for layout."))
        }
        let vague = html.links.filter { !$0.holdsImage && vagueLinkTexts.contains($0.text.lowercased().trimmingEnds(of: ".!: ")) }
        if let first = vague.first {
            found.append(.init(.accessibility, .warning, "\(vague.count) link\(vague.count == 1 ? "" : "s") whose text is only \"\(first.text)\": out of context (a screen reader's list of links) it says nothing.",
                               fix: "Make the link's text say where it goes (\"Read the March invoice\")."))
        }
        return found
    }

    /// Links and images listed at most this many each; the rest counted.
    static let listed = 20

    static func links(_ html: HTMLScan, reachability: LinkReachability?) -> [MessageCheck.Finding] {
        var found: [MessageCheck.Finding] = []
        let insecureImages = html.images.filter { $0.src.lowercased().hasPrefix("http:") }
        if let first = insecureImages.first {
            found.append(.init(.links, .warning, "\(insecureImages.count) image\(insecureImages.count == 1 ? "" : "s") over http: (first: \(first.src)): clients warn about or block insecure content.",
                               fix: "Serve images over https:."))
        }
        let pixels = html.images.filter { Self.pixels($0.width) == 1 && Self.pixels($0.height) == 1 }
        if let first = pixels.first {
            found.append(.init(.links, .info, "\(pixels.count) tracking pixel\(pixels.count == 1 ? "" : "s") (1×1 image: \(first.src)): Apple Mail Privacy Protection loads them all, so opens are not a measure; some filters score them."))
        }
        let insecureLinks = html.links.filter { $0.href.lowercased().hasPrefix("http:") }
        if let first = insecureLinks.first {
            found.append(.init(.links, .warning, "\(insecureLinks.count) link\(insecureLinks.count == 1 ? "" : "s") over http: (first: \(first.href)).", fix: "Link to https: addresses."))
        }
        let mailto = html.links.filter { $0.href.lowercased().hasPrefix("mailto:") }
        let https = html.links.filter { $0.href.lowercased().hasPrefix("https:") }
        for (kind, list) in [("mailto:", mailto), ("https:", https)] where !list.isEmpty {
            let shown = Set(list.map(\.href)).sorted().prefix(listed)
            let more = Set(list.map(\.href)).count - shown.count
            found.append(.init(.links, .info, "\(list.count) \(kind) link\(list.count == 1 ? "" : "s"): " + shown.joined(separator: " ") + (more > 0 ? " and \(more) more" : "")))
        }
        if let reachability {
            let targets = html.links.map(\.href) + html.images.map(\.src)
            found += reachability.check(targets.filter { $0.lowercased().hasPrefix("http:") || $0.lowercased().hasPrefix("https:") })
        }
        return found
    }

    /// `1`, `1px`, ` 1 ` as a number of pixels.
    static func pixels(_ size: String?) -> Int? {
        guard let size = size?.trimmingSpaces.lowercased() else { return nil }
        return Int(size.hasSuffix("px") ? String(size.dropLast(2)) : size)
    }

    /// A text part under this share of the HTML's visible text looks like an afterthought to
    /// spam filters (and to readers of the text part).
    static let shortestTextShare = 0.3

    /// `htmlCharacters`: the HTML's visible characters (`HTMLScan.visibleCharacters`), nil when
    /// there is no HTML part.
    static func textAndHTML(text: String?, htmlCharacters: Int?) -> [MessageCheck.Finding] {
        guard let htmlCharacters else {
            return text == nil ? [.init(.text, .warning, "The message has neither a text nor an HTML part.")] : [.init(.text, .ok, "A text part, and no HTML.")]
        }
        guard let text else {
            return [.init(.text, .problem, "HTML without a text part: spam filters score this (SpamAssassin's MIME_HTML_ONLY), and text-only readers see nothing.",
                          fix: "Send multipart/alternative with a text/plain part that says the same as the HTML.")]
        }
        let textCharacters = text.unicodeScalars.reduce(0) { $0 + ($1.properties.isWhitespace ? 0 : 1) }
        if htmlCharacters > 0, Double(textCharacters) < Double(htmlCharacters) * shortestTextShare {
            return [.init(.text, .warning, "The text part has \(textCharacters) characters, the HTML's text \(htmlCharacters): a text part much shorter than the HTML is scored by spam filters.",
                          fix: "Make the text part say what the HTML says (generate it from the same template).")]
        }
        return [.init(.text, .ok, "A text part of \(textCharacters) characters beside the HTML's \(htmlCharacters).")]
    }
}
