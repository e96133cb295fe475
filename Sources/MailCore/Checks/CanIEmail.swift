/// caniemail's support data (https://www.caniemail.com, MIT-licensed; generated into
/// CanIEmailData.swift by scripts/caniemail_data.py): for each CSS property, at-rule, function,
/// HTML element or attribute, or image format a message uses, the clients whose latest tested
/// version does not support it or supports it only partly, with caniemail's notes.
public enum CanIEmail {
    public struct Feature: Sendable, Equatable, Codable {
        public struct Client: Sendable, Equatable, Codable {
            public var name: String
            /// False: supported only partly.
            public var unsupported: Bool
            /// caniemail's notes for this client, separated by " | ".
            public var notes: String
        }

        public var slug: String
        public var title: String
        /// What in a message shows the feature: `p:color`, `e:video`, `m:prefers-color-scheme`…
        public var keys: [String]
        public var clients: [Client]
    }

    /// The features, read once from the generated text.
    public static let features: [Feature] = {
        var features: [Feature] = []
        for line in data.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.first == "F", fields.count >= 4 {
                features.append(Feature(slug: fields[1], title: fields[2], keys: fields[3].split(separator: " ").map(String.init), clients: []))
            } else if fields.first == "C", fields.count >= 4, !features.isEmpty {
                features[features.count - 1].clients.append(.init(name: fields[2], unsupported: fields[1] == "n", notes: fields[3]))
            }
        }
        return features
    }()

    /// The match keys a message's HTML shows (see `Feature.keys`).
    static func keys(_ html: HTMLScan) -> Set<String> {
        var keys = Set<String>()
        for property in html.cssProperties { keys.insert("p:" + property) }
        for value in html.cssValues { keys.insert("v:" + value) }
        for rule in html.cssAtRules { keys.insert("@:" + rule) }
        for function in html.cssFunctions { keys.insert("f:" + function) }
        for element in html.elements { keys.insert("e:" + element) }
        for attribute in html.attributes { keys.insert("a:" + attribute) }
        for image in html.images {
            let path = image.src.split(separator: "?").first.map(String.init) ?? image.src
            if let dot = path.lastIndex(of: "."), path.distance(from: dot, to: path.endIndex) <= 6 {
                keys.insert("i:" + path[path.index(after: dot)...].lowercased())
            }
        }
        return keys
    }

    /// The features the message uses that some client breaks.
    public static func used(by html: HTMLScan) -> [Feature] {
        let shown = keys(html)
        let queries = html.mediaQueries
        return features.filter { feature in
            feature.keys.contains { key in
                if key.hasPrefix("m:") { return queries.contains { $0.contains(String(key.dropFirst(2))) } }
                return shown.contains(key)
            }
        }
    }

    /// Clients named in one finding; the rest counted.
    static let clientsNamed = 12

    static func findings(_ html: HTMLScan) -> [MessageCheck.Finding] { findings(used(by: html)) }

    static func findings(_ used: [Feature]) -> [MessageCheck.Finding] {
        guard !used.isEmpty else {
            return [.init(.compatibility, .ok, "Nothing the message uses is known (to caniemail) to break in a client.")]
        }
        return used.map { feature in
            let unsupported = feature.clients.filter(\.unsupported)
            let partly = feature.clients.filter { !$0.unsupported }
            var parts: [String] = []
            if !unsupported.isEmpty { parts.append("not in " + named(unsupported)) }
            if !partly.isEmpty { parts.append("partly in " + named(partly)) }
            let notes = Array(Set(feature.clients.flatMap { $0.notes.split(separator: " | ").map(String.init) }.filter { !$0.isEmpty })).sorted()
            return .init(.compatibility, unsupported.isEmpty ? .info : .warning, "\(feature.title): " + parts.joined(separator: "; ") + (notes.isEmpty ? "" : ". Notes: " + notes.joined(separator: " ")),
                         fix: unsupported.isEmpty ? nil : "Give a fallback those clients can show (https://www.caniemail.com/features/\(feature.slug)/).")
        }
    }

    static func named(_ clients: [Feature.Client]) -> String {
        let shown = clients.prefix(clientsNamed).map(\.name).joined(separator: ", ")
        return clients.count > clientsNamed ? shown + " and \(clients.count - clientsNamed) more" : shown
    }
}
