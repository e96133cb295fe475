/// `name=value; name=value` (RFC 6376 section 3.2), the syntax of DKIM signatures, DKIM key
/// records and DMARC records: the pairs in order, folding whitespace around names and values
/// removed. What a duplicate or an unknown tag means is the caller's to say.
package enum TagList {
    package static func parse(_ text: String) -> Result<[(name: String, value: String)], DKIMRecordError> {
        var pairs: [(name: String, value: String)] = []
        for part in text.split(separator: ";") {
            let unfolded = part.filter { !$0.isNewline }
            if unfolded.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard let equals = unfolded.firstIndex(of: "=") else {
                return .failure(DKIMRecordError(reason: "\"\(unfolded.trimmingEnds(of: " \t"))\" is not tag=value"))
            }
            let name = unfolded[..<equals].filter { $0 != " " && $0 != "\t" }
            guard !name.isEmpty else { return .failure(DKIMRecordError(reason: "an empty tag name")) }
            pairs.append((name, String(unfolded[unfolded.index(after: equals)...]).trimmingEnds(of: " \t")))
        }
        return .success(pairs)
    }
}
