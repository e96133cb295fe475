import Foundation
import Testing
import TestSupport

/// `mailtui send --count` against `mailtui serve` with limit faults: the summary counts, per
/// stage, the messages each reply code struck, and a seeded run strikes the same ones again.
@Suite(.serialized) struct FaultLimitLoadTests {
    /// One run of 20 messages over one connection against a fresh server; its JSON summary.
    func run(seed: Int) throws -> [String: Any] {
        let serve = try ServeCommandTests.Serve(["--fault", "rcpt=550 5.1.1 No such user ~30%", "--fault", "mail=throttle 15/min", "--seed", String(seed)])
        defer { _ = serve.stop() }
        let result = try Program.run(TestPaths.mailtui, ["send", "--server", "127.0.0.1", "--port", serve.port, "--security", "none",
                                                         "--helo", "client.test.invalid", "--from", "a@example.com", "--to", "b@example.com",
                                                         "--text", "message {n}", "--count", "20", "--connections", "1", "--json", "--transcript", "none"],
                                     environment: TestPaths.hermeticEnvironment(["NO_COLOR": "1"]))
        return try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "no JSON summary: \(result.err)")
    }

    func codes(_ json: [String: Any], at stage: String) -> [String: Int] {
        let failures = json["failures"] as? [[String: Any]] ?? []
        return failures.first { $0["stage"] as? String == stage }?["codes"] as? [String: Int] ?? [:]
    }

    @Test func theSummaryCountsEachStagesReplyCodesAndASeedRepeatsThem() throws {
        let first = try run(seed: 11)
        #expect(codes(first, at: "mail") == ["454": 5], "the throttle strikes past 15 a minute: \(first)")
        let refused = codes(first, at: "rcpt")["550"] ?? 0
        #expect((1...12).contains(refused), "about 30% of 15: \(first)")
        #expect(first["delivered"] as? Int == 15 - refused && first["failed"] as? Int == 5 + refused, "\(first)")
        let again = try run(seed: 11)
        #expect(codes(again, at: "rcpt") == codes(first, at: "rcpt") && codes(again, at: "mail") == ["454": 5], "\(again)")
    }
}
