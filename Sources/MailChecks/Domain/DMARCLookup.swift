extension DMARCRecord {
    /// The DMARC record that governs `domain`: its own `_dmarc` record, else its organisational
    /// domain's (RFC 7489 §6.6.3). Nil when neither has exactly one.
    package static func lookup(_ domain: String, dns: any DNSResolving) -> Result<DMARCRecord?, DKIMRecordError> {
        var names = ["_dmarc." + domain]
        let organisational = DMARCRecord.organisationalDomain(domain)
        if organisational != domain { names.append("_dmarc." + organisational) }
        for name in names {
            let (texts, answer, _) = dns.texts(name)
            if case .failure(let why) = answer { return .failure(DKIMRecordError(reason: why)) }
            let records = texts.filter(DMARCRecord.isDMARC)
            if records.count == 1, case .success(let record) = DMARCRecord.parse(records[0]) { return .success(record) }
        }
        return .success(nil)
    }
}
