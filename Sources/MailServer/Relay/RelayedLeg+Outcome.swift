import MailCore

extension RelayedLeg {
    /// How the upstream leg ended, in a few words, as the inbox and `relay`'s lines show it:
    /// `→ smtp.example.com:587 ✓ 250 2.0.0 OK` or `→ smtp.example.com:587 ✗ AUTH 535 5.7.8 …`.
    public var outcome: String {
        delivered ? "→ \(server) ✓ \(reply)" : "→ \(server) ✗ \(stage.displayName) \(reply)"
    }
}
