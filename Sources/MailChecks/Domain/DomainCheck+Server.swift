/// The sending server's check: PTR and forward-confirmed reverse DNS.
extension DomainCheck {
    func serverAddress(_ ip: String) -> Section {
        // At most 10 names, as SPF's ptr (RFC 7208 4.6.4).
        let names = Array(dns.ptr(ip).prefix(10))
        var section = Section(name: "Server \(ip)", records: names.isEmpty ? ["(no PTR)"] : names.map { "PTR \($0)" }, findings: [])
        guard IPAddress.bytes(ip) != nil else {
            section.findings.append(Finding(verdict: .problem, text: "\(ip) is not an IP address."))
            return section
        }
        guard !names.isEmpty else {
            section.findings.append(Finding(verdict: .problem, text: "No reverse DNS (PTR) for \(ip): Gmail, Microsoft and most receivers refuse or junk mail from addresses without one. Ask whoever owns the address (the hosting provider) to set a PTR to the server's name."))
            return section
        }
        let confirmed = names.filter { dns.addresses($0).addresses.contains { IPAddress.bytes($0) == IPAddress.bytes(ip) } }
        if confirmed.isEmpty {
            section.findings.append(Finding(verdict: .problem, text: "The PTR name\(names.count == 1 ? "" : "s") (\(names.joined(separator: ", "))) do\(names.count == 1 ? "es" : "") not resolve back to \(ip): reverse DNS is not forward-confirmed, which receivers treat as no PTR. Give the name an A/AAAA record of \(ip)."))
        } else {
            section.findings.append(Finding(verdict: .ok, text: "Forward-confirmed reverse DNS: \(confirmed[0]) resolves back to \(ip). Use it as the EHLO name (--helo \(confirmed[0]))."))
        }
        return section
    }
}
