/// "Will it look right and land in the inbox?": a message file checked as Gmail, Yahoo, Outlook
/// and a spam filter would check it. Each finding belongs to an area and says what to change, so
/// that a person reads it as a list of fixes and CI gates on `hasProblems`.
public struct MessageCheck: Sendable {
    /// Where a finding belongs; the report groups by these, in this order.
    public enum Area: String, Sendable, Codable, CaseIterable {
        case bulkRules = "bulk-rules"
        case spam
        case html
        case compatibility
        case darkMode = "dark-mode"
        case accessibility
        case links
        case text

        public var title: String {
            switch self {
            case .bulkRules: "Bulk-sender rules (Gmail, Yahoo)"
            case .spam: "Spam score (SpamAssassin)"
            case .html: "HTML size (Gmail clipping)"
            case .compatibility: "Client support (caniemail)"
            case .darkMode: "Dark mode"
            case .accessibility: "Accessibility"
            case .links: "Links and images"
            case .text: "Text and HTML"
            }
        }
    }

    /// `info` lists what was found (links, rules that hit) without judging it; only `problem`
    /// makes `check-message` exit 12.
    public enum Verdict: String, Sendable, Codable, Comparable {
        case ok, info, warning, unchecked, problem

        private var rank: Int {
            switch self {
            case .ok: 0
            case .info: 1
            case .warning: 2
            case .unchecked: 3
            case .problem: 4
            }
        }
        public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
    }

    public struct Finding: Sendable, Equatable, Codable {
        public var area: Area
        public var verdict: Verdict
        /// What was found, in one line.
        public var text: String
        /// What to change, in one line; nil when nothing needs changing.
        public var fix: String?

        public init(_ area: Area, _ verdict: Verdict, _ text: String, fix: String? = nil) {
            self.area = area
            self.verdict = verdict
            self.text = text
            self.fix = fix
        }
    }

    public struct Options: Sendable {
        /// Asked for DMARC records and DKIM keys; nil checks offline (alignment relaxed, DKIM
        /// signatures read but not verified).
        public var dns: (any DNSResolving)?
        /// The envelope sender, when known (caught or relayed mail, `--envelope-from`).
        public var envelopeFrom: String?
        /// Mail that is not bulk (a password reset): no List-Unsubscribe is fine then.
        public var transactional: Bool
        public var spam: SpamAssassin.Options?
        /// HEAD requests to the links and images.
        public var reachability: LinkReachability?

        public init(dns: (any DNSResolving)? = nil, envelopeFrom: String? = nil, transactional: Bool = false,
                    spam: SpamAssassin.Options? = nil, reachability: LinkReachability? = nil) {
            self.dns = dns
            self.envelopeFrom = envelopeFrom
            self.transactional = transactional
            self.spam = spam
            self.reachability = reachability
        }
    }

    public let bytes: [UInt8]
    public let options: Options

    public init(bytes: [UInt8], options: Options = Options()) {
        self.bytes = bytes
        self.options = options
    }

    /// What the checks found, and the data behind two of them: SpamAssassin's report and the
    /// caniemail features the HTML uses (for `--json`).
    public struct Outcome: Sendable, Codable {
        public var findings: [Finding]
        public var spam: SpamAssassinReport?
        public var compatibility: [CanIEmail.Feature]
    }

    /// Every check, grouped by area in `Area`'s order.
    public func run() -> [Finding] { inspect().findings }

    public func inspect() -> Outcome {
        let root = MIMEPart(reading: bytes)
        let bodies = root.walk().map(\.part).filter { !$0.isMultipart && !$0.isAttachment }
        let htmlPart = bodies.first { $0.mediaType == "text/html" }
        let html = htmlPart.map { HTMLScan($0.text) }
        var rules = options
        rules.dns = options.dns.map { FailFastResolver($0.waitingAtMost(seconds: 6)) }
        var found = BulkSenderRules(root: root, bytes: bytes, options: rules).findings()
        var spam: SpamAssassinReport?
        if let options = options.spam {
            // SpamAssassin's HTML parser takes minutes over thousands of nested elements (up to
            // spamd's own 120 s): such a message is not handed to it, and the finding says why.
            let htmlParts = root.walk().map(\.part).filter { $0.mediaType == "text/html" }
            if html?.nestsTooDeep == true || (htmlParts.count > 1 && htmlParts.contains { HTMLScan($0.text).nestsTooDeep }) {
                found.append(SpamAssassin.nestingFinding)
            } else {
                let outcome = SpamAssassin.check(bytes, options: options)
                if case .scored(let report) = outcome { spam = report }
                found += SpamAssassin.findings(outcome, network: options.network)
            }
        }
        var compatibility: [CanIEmail.Feature] = []
        if let htmlPart, let html {
            compatibility = CanIEmail.used(by: html)
            found += HTMLChecks.clipping(htmlSize: htmlPart.decodedBody.count)
            found += CanIEmail.findings(compatibility)
            found += HTMLChecks.darkMode(html)
            found += HTMLChecks.accessibility(html)
            found += HTMLChecks.links(html, reachability: options.reachability)
        }
        found += HTMLChecks.textAndHTML(text: bodies.first { $0.mediaType == "text/plain" }?.text, htmlCharacters: html?.visibleCharacters)
        let order = Dictionary(uniqueKeysWithValues: Area.allCases.enumerated().map { ($1, $0) })
        let sorted = found.enumerated().sorted { (order[$0.element.area]!, $0.offset) < (order[$1.element.area]!, $1.offset) }.map(\.element)
        return Outcome(findings: sorted, spam: spam, compatibility: compatibility)
    }

    public static func hasProblems(_ findings: [Finding]) -> Bool { findings.contains { $0.verdict == .problem } }
}
