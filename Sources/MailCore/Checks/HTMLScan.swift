/// What the HTML of a message holds, for the checks: its elements and attributes, its CSS, its
/// images, links and tables, and where text colours are set. One pass over the bytes, whatever
/// they are: an unclosed comment, tag or quote ends at the end of the text, never searched for
/// again, and the open-element stack has a bound.
public struct HTMLScan: Sendable, Equatable {
    public struct Image: Sendable, Equatable, Codable {
        public var src: String
        /// nil when the attribute is missing (`alt=""` is right for a decorative image).
        public var alt: String?
        public var width: String?
        public var height: String?
    }

    public struct Link: Sendable, Equatable, Codable {
        public var href: String
        /// The link's text, spaces collapsed, cut at `longestLinkText`.
        public var text: String
        public var holdsImage: Bool
    }

    public var elements: Set<String> = []
    public var attributes: Set<String> = []
    var css = CSSScanTotals()
    private var styles: [String: CSSScan] = [:]
    public var images: [Image] = []
    public var links: [Link] = []
    /// The `lang` of the `html` element (or of `body` when `html` has none).
    public var lang: String?
    /// A `<meta name="color-scheme">` (or `supported-color-schemes`) is present.
    public var colorSchemeMeta = false
    public var tables = 0
    public var tablesWithoutPresentationRole = 0
    /// Elements whose text colour is set with no background set on them or around them.
    public var coloursWithoutBackground = 0
    public var firstColourWithoutBackground: String?
    /// Characters of text outside tags, scripts and styles, blank space not counted.
    public var visibleCharacters = 0
    /// Elements open inside each other more than `maximumDepth` deep: no real mail nests so
    /// (a few dozen levels at most), and SpamAssassin takes minutes over it.
    public var nestsTooDeep = false

    /// Lists stop growing here (counts go on): a 5 MB message may hold 100k images.
    static let maximumListed = 10_000
    static let maximumDepth = 256
    static let longestLinkText = 200
    /// Elements whose content is not HTML.
    static let rawTextElements: Set<String> = ["style", "script", "title", "textarea"]
    static let voidElements: Set<String> = ["img", "br", "hr", "meta", "link", "input", "area", "base", "col", "source", "wbr", "embed", "track", "param"]
    /// Elements whose end tag HTML lets a writer leave out, and the open elements each one ends
    /// when it starts: a newsletter's 300 unclosed `<p>` are 300 paragraphs, not 300 levels.
    static let impliedEnds: [String: Set<String>] = [
        "p": ["p"], "li": ["li"], "dt": ["dt", "dd"], "dd": ["dt", "dd"], "option": ["option"],
        "tr": ["tr", "td", "th"], "td": ["td", "th"], "th": ["td", "th"],
    ]

    public var cssProperties: Set<String> { css.properties }
    public var mediaQueries: [String] { css.mediaQueries }
    var cssAtRules: Set<String> { css.atRules }
    var cssFunctions: Set<String> { css.functions }
    /// `display:flex`, `display:grid`, `display:none`…
    var cssValues: Set<String> { css.values }

    public init(_ html: String) {
        let bytes = Array(html.utf8)
        var index = 0
        var stack: [(name: String, background: Bool)] = []
        var link: Link?
        // Text runs until a comment or a tag starts; a "<" that starts neither stays in the run.
        var textStart = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if Self.startsComment(bytes, at: index + 1) {
                text(bytes[textStart..<index], link: &link)
                index = Self.find(bytes, "-->", from: index + 4).map { $0 + 3 } ?? bytes.count
                textStart = index
                continue
            }
            // Most "<" that start no tag are followed by neither a letter nor "/", "!" or "?".
            guard index + 1 < bytes.count, Tag.isLetter(bytes[index + 1]) || bytes[index + 1] == UInt8(ascii: "/")
                    || bytes[index + 1] == UInt8(ascii: "!") || bytes[index + 1] == UInt8(ascii: "?"),
                  let tag = Tag(bytes, at: index) else {
                index += 1
                continue
            }
            text(bytes[textStart..<index], link: &link)
            index = tag.end
            textStart = index
            if tag.name == "!" { continue }
            if tag.closing {
                close(tag.name, stack: &stack, link: &link)
            } else {
                open(tag, stack: &stack, link: &link)
                // Their content is not HTML: it runs to the closing tag, found once from here.
                if Self.rawTextElements.contains(tag.name) {
                    let end = Self.closingTag(bytes, tag.name, from: index) ?? bytes.count
                    if tag.name == "style" { css.add(CSSScan(bytes[index..<end])) }
                    index = end
                    textStart = end
                }
            }
        }
        text(bytes[textStart..<bytes.count], link: &link)
        if let link, links.count < Self.maximumListed { links.append(link) }
        styles = [:]
    }

    private mutating func text(_ run: ArraySlice<UInt8>, link: inout Link?) {
        guard !run.isEmpty else { return }
        // Counted on the bytes: characters that are not ASCII blank space, an entity as written.
        visibleCharacters += run.reduce(0) { $0 + (Tag.isSpace($1) || ($1 & 0xC0) == 0x80 ? 0 : 1) }
        guard var current = link, current.text.count < Self.longestLinkText else { return }
        let decoded = HTMLText.entities(Substring(String(decoding: run.prefix(4 * Self.longestLinkText), as: UTF8.self)))
        current.text = (current.text + " " + decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")).trimmingSpaces
        current.text = String(current.text.prefix(Self.longestLinkText))
        link = current
    }

    private mutating func open(_ tag: Tag, stack: inout [(name: String, background: Bool)], link: inout Link?) {
        if let ended = Self.impliedEnds[tag.name] {
            while let last = stack.last, ended.contains(last.name) { stack.removeLast() }
        }
        elements.insert(tag.name)
        var style: CSSScan?
        for (name, _) in tag.attributes { attributes.insert(name) }
        if let inline = tag["style"] {
            // Mail repeats the same inline styles on every element: each is read once.
            let scan = styles[inline] ?? CSSScan(inline)
            if styles.count < Self.maximumListed { styles[inline] = scan }
            css.add(scan)
            style = scan
        }
        switch tag.name {
        case "html":
            lang = tag["lang"] ?? lang
        case "body":
            if lang == nil { lang = tag["lang"] }
        case "meta":
            let name = tag["name"]?.lowercased()
            if name == "color-scheme" || name == "supported-color-schemes" { colorSchemeMeta = true }
        case "img":
            if images.count < Self.maximumListed {
                let width = tag["width"] ?? style?.declarations.last { $0.property == "width" }?.value
                let height = tag["height"] ?? style?.declarations.last { $0.property == "height" }?.value
                images.append(Image(src: tag["src"] ?? "", alt: tag["alt"], width: width, height: height))
            }
            link?.holdsImage = true
        case "a":
            if let open = link, links.count < Self.maximumListed { links.append(open) }
            link = tag["href"].map { Link(href: $0, text: "", holdsImage: false) }
        case "table":
            tables += 1
            if tag["role"]?.lowercased() != "presentation" && tag["role"]?.lowercased() != "none" { tablesWithoutPresentationRole += 1 }
        default:
            break
        }
        let declarations = style?.declarations ?? []
        let background = tag["bgcolor"] != nil || tag["background"] != nil
            || declarations.contains { $0.property == "background" || $0.property == "background-color" || $0.property == "background-image" }
        let around = background || (stack.last?.background ?? false)
        let colour = tag["color"] != nil && tag.name == "font" || declarations.contains { $0.property == "color" }
        if colour && !around {
            coloursWithoutBackground += 1
            if firstColourWithoutBackground == nil { firstColourWithoutBackground = "<\(tag.name) style=\"\(String((tag["style"] ?? "color").prefix(80)))\">" }
        }
        if !Self.voidElements.contains(tag.name) && !tag.selfClosing {
            if stack.count < Self.maximumDepth { stack.append((tag.name, around)) } else { nestsTooDeep = true }
        }
    }

    private mutating func close(_ name: String, stack: inout [(name: String, background: Bool)], link: inout Link?) {
        if name == "a", let open = link {
            if links.count < Self.maximumListed { links.append(open) }
            link = nil
        }
        // Back to the matching open element; a closing tag that matches none changes nothing.
        if let at = stack.lastIndex(where: { $0.name == name }) { stack.removeSubrange(at...) }
    }

    /// Whether `<!--` starts at `index` - 1 (no array made: it is asked at every "<").
    static func startsComment(_ bytes: [UInt8], at index: Int) -> Bool {
        index + 3 <= bytes.count && bytes[index] == UInt8(ascii: "!") && bytes[index + 1] == UInt8(ascii: "-") && bytes[index + 2] == UInt8(ascii: "-")
    }

    static func find(_ bytes: [UInt8], _ text: String, from index: Int) -> Int? {
        let wanted = Array(text.utf8)
        var at = index
        while at + wanted.count <= bytes.count {
            if bytes[at] == wanted[0], bytes[at..<at + wanted.count].elementsEqual(wanted) { return at }
            at += 1
        }
        return nil
    }

    /// Where `</name` starts (any case), from `index`.
    static func closingTag(_ bytes: [UInt8], _ name: String, from index: Int) -> Int? {
        let wanted = Array(("</" + name).utf8)
        var at = index
        while at + wanted.count <= bytes.count {
            if bytes[at] == UInt8(ascii: "<"), bytes[at + 1] == UInt8(ascii: "/"),
               zip(bytes[at..<at + wanted.count], wanted).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) { return at }
            at += 1
        }
        return nil
    }
}

/// The CSS of all of a message's style blocks and `style` attributes together.
struct CSSScanTotals: Sendable, Equatable {
    var properties: Set<String> = []
    var values: Set<String> = []
    var atRules: Set<String> = []
    var mediaQueries: [String] = []
    var functions: Set<String> = []

    mutating func add(_ scan: CSSScan) {
        for declaration in scan.declarations {
            properties.insert(declaration.property)
            if declaration.property == "display", let first = declaration.value.lowercased().split(separator: " ").first {
                values.insert("display:" + first)
            }
        }
        atRules.formUnion(scan.atRules)
        if mediaQueries.count < HTMLScan.maximumListed { mediaQueries += scan.mediaQueries.prefix(HTMLScan.maximumListed - mediaQueries.count) }
        functions.formUnion(scan.functions)
    }
}
