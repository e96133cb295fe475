import MailCore

/// A relayed attempt that failed before there was a message (see `RelayAttempt`) is stored as
/// one, with the app's side of the session so far and the gate's failed leg, so that the inbox
/// and `relay`'s events show it as they show a message.
extension SMTPSessionHandler {
    /// Asks the gate for the leg of an attempt that just ended in a failure, and stores it.
    /// `sender` is the MAIL FROM the gate refused (else the transaction's own, if any).
    func storeFailedAttempt(sender: (address: String, parameters: [String])? = nil) {
        guard let gateSession, let leg = gateSession.takeFailedLeg() else { return }
        let sender = sender ?? from
        let incoming = server.store.begin()
        let time = Self.now()
        let all = recipients + gateRefusedRecipients
        let attempt = RelayAttempt(leg: leg, from: sender?.address, recipients: all.map(\.address), id: incoming.id, time: time)
        let octets = attempt.octets
        incoming.append(octets)
        let record = StoredMessage(id: incoming.id, path: server.store.path(of: incoming.id), from: sender?.address ?? "",
                                   fromParameters: sender?.parameters ?? [], recipients: all, helo: helo, client: client,
                                   tls: tlsVersion ?? (inTLS ? "TLS" : nil), cipher: cipher, authUser: authUser, authMechanism: authMechanism,
                                   time: time, bytes: octets.count, subject: attempt.subject, transcript: transcript.takeForMessage(),
                                   faults: faultsHit, relayed: leg, notSent: true)
        let emit = server.emit
        // Not waited for: the app has its refusal already, and nothing it says next depends on this.
        server.store.commit(incoming, record) { result in
            if case .success(let stored) = result { emit(.message(stored)) }
        }
    }
}
