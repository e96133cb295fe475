import MailCore
import MailServer
@testable import MailTUI
import Testing

/// F12's limit faults: each action takes its stage and a value to start from, and Enter sets
/// what `--fault` would.
@Suite struct FaultPanelLimitTests {
    @Test func eachLimitIsChosenWithItsStageAndSetAsTyped() throws {
        var s = FaultPanelTests.opened()
        _ = s.update(.key(.down))
        // ← from reply: close-after (the last), bandwidth, greylist, throttle.
        _ = s.update(.key(.left))
        var screen = Renderer.render(s).text
        #expect(screen.contains("Stage    ‹ data ›") && screen.contains("▸ Action   ‹ close-after ›") && screen.contains("Octets   4096"), "\(screen)")
        #expect(s.update(.key(.enter)) == [.setFaults([Fault(stage: .data, action: .closeAfter(bytes: 4096))], once: true)])
        _ = s.update(.key(.left))
        #expect(Renderer.render(s).text.contains("Speed    20kB/s"))
        #expect(s.update(.key(.enter)) == [.setFaults([Fault(stage: .data, action: .bandwidth(bytesPerSecond: 20_000))], once: true)])
        _ = s.update(.key(.left))
        screen = Renderer.render(s).text
        #expect(screen.contains("Stage    ‹ rcpt ›") && screen.contains("Seconds  60"), "\(screen)")
        _ = s.update(.key(.down))
        for c in " ~50%" { _ = s.update(.key(.character(c))) }
        #expect(s.update(.key(.enter)) == [.setFaults([Fault(stage: .rcpt, action: .greylist(seconds: 60), probability: 0.5)], once: true)])
        _ = s.update(.key(.up))
        _ = s.update(.key(.left))
        screen = Renderer.render(s).text
        #expect(screen.contains("Stage    ‹ mail ›") && screen.contains("Rate     10/min"), "\(screen)")
        #expect(s.update(.key(.enter)) == [.setFaults([try Fault(parsing: "mail=throttle 10/min")], once: true)])
        // A limit at a stage it does not fit says why.
        _ = s.update(.key(.up))
        _ = s.update(.key(.left))
        _ = s.update(.key(.down))
        #expect(s.update(.key(.enter)) == [])
        #expect(Renderer.render(s).text.contains("throttle is for the mail, rcpt or data stage"))
    }
}
