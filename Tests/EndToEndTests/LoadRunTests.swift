import Foundation
import Testing
import TestSupport

/// `mailtui send --count` against servers that refuse with huge replies or stall: the summary
/// counts every message, keeps short examples, and the run's memory does not grow with the count.
@Suite struct LoadRunTests {
    /// Runs mailtui under GNU time; returns the result and the peak resident memory in MB.
    func measured(_ arguments: [String]) throws -> (result: ProgramResult, peakMB: Int) {
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        let report = TestPaths.temporaryDirectory("mailtui-rss") + "/rss.txt"
        let result = try Program.run("/usr/bin/time", ["-f", "%M", "-o", report, TestPaths.mailtui] + arguments, environment: env)
        let kilobytes = try #require(Int(try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").last { Int($0) != nil } ?? ""),
                                     "GNU time wrote no peak memory")
        return (result, kilobytes / 1024)
    }

    func load(_ server: TestSMTPServer, _ options: [String]) -> [String] {
        ["send", "--server", "127.0.0.1", "--port", String(server.port), "--security", "none", "--helo", "client.test.invalid",
         "--from", "a@example.com", "--to", "b@example.com", "--text", "message {n}", "--json", "--transcript", "none"] + options
    }

    func summary(_ result: ProgramResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.out.utf8)) as? [String: Any], "no JSON summary: \(result.err)")
    }

    /// 400 refusals of 250 KB each (500 lines of 500 characters, the most a line is shown with):
    /// the summary keeps one example of a few hundred bytes, and the process's peak memory stays
    /// far below what keeping every refusal would take (100 MB).
    @Test func hugeRefusalsLeaveAShortExampleAndFlatMemory() throws {
        let server = try TestSMTPServer.faulty(["--huge", "message", "--huge-code", "550", "--huge-size", "500", "--huge-lines", "500"])
        defer { server.stop() }
        let (result, peakMB) = try measured(load(server, ["--count", "400", "--connections", "2", "--timeout", "60"]))
        #expect(result.status != 0)
        let json = try summary(result)
        #expect(json["failed"] as? Int == 400 && json["delivered"] as? Int == 0 && json["notSent"] as? Int == 0, "\(json)")
        #expect((json["replies"] as? [String: Int]) == ["550": 400])
        let failures = try #require(json["failures"] as? [[String: Any]])
        let example = try #require(failures.first?["example"] as? String)
        #expect(failures.count == 1 && example.hasPrefix("550 xxx") && example.utf8.count <= 300, "\(example.utf8.count) bytes")
        #expect(example.hasSuffix(" bytes)"), "the example says how long the reply was: \(example.suffix(40))")
        #expect(result.out.utf8.count < 4096, "the summary holds no refusal in full")
        #expect(peakMB < 90, "peak memory \(peakMB) MB: refusals are not kept")
    }

    /// A multi-line reply that goes on for 2 MB is not read to its end: past libcurl's limit
    /// (300 KiB) the connection is given up, the message failed, the others not sent.
    @Test func aReplyThatGoesOnAndOnIsCutWhileReading() throws {
        let server = try TestSMTPServer.faulty(["--huge", "message", "--huge-code", "550", "--huge-size", "1000", "--huge-lines", "2000"])
        defer { server.stop() }
        let (result, peakMB) = try measured(load(server, ["--count", "5", "--connections", "1", "--timeout", "60"]))
        #expect(result.status != 0)
        let json = try summary(result)
        #expect(json["delivered"] as? Int == 0 && json["failed"] as? Int == 1 && json["notSent"] as? Int == 4, "\(json)")
        let failures = try #require(json["failures"] as? [[String: Any]])
        #expect(failures.first?["example"] as? String == "a reply longer than 300 KiB", "\(failures)")
        #expect((json["notSentBecause"] as? String)?.contains("a reply far too long") == true, "\(json)")
        #expect(peakMB < 120, "peak memory \(peakMB) MB: the reply was read no further than the limit")
    }

    /// A server that greets, then never answers EHLO: no message goes, and the summary says all
    /// of them were not sent, and why, instead of "0 delivered, 0 failed".
    @Test func aServerStallingAfterTheGreetingLeavesEveryMessageNotSent() throws {
        let server = try TestSMTPServer.faulty(["--hang", "ehlo"])
        defer { server.stop() }
        let (result, _) = try measured(load(server, ["--count", "100", "--connections", "4", "--timeout", "2"]))
        #expect(result.status == 11, "timeout: \(result.err)")
        let json = try summary(result)
        #expect(json["delivered"] as? Int == 0 && json["failed"] as? Int == 0 && json["notSent"] as? Int == 100, "\(json)")
        #expect((json["notSentBecause"] as? String) == "the server stopped answering at EHLO", "\(json)")
        var env = TestPaths.hermeticEnvironment()
        env["NO_COLOR"] = "1"
        let text = try Program.run(TestPaths.mailtui, load(server, ["--count", "10", "--timeout", "2"]).filter { $0 != "--json" }, environment: env)
        #expect(text.out.contains("0 delivered, 0 failed, 10 not sent in "), "\(text.out)")
        #expect(text.out.contains("not sent: 10, because the server stopped answering at EHLO"), "\(text.out)")
    }

    /// A server that stalls at the fourth message's end: three delivered, one failed (no reply in
    /// time), six not sent: the three add up to --count.
    @Test func aServerStallingMidRunCountsTheRestAsNotSent() throws {
        let server = try TestSMTPServer.faulty(["--hang", "message@4"])
        defer { server.stop() }
        let (result, _) = try measured(load(server, ["--count", "10", "--connections", "1", "--timeout", "5"]))
        #expect(result.status == 11, "timeout: \(result.err)")
        let json = try summary(result)
        #expect(json["delivered"] as? Int == 3 && json["failed"] as? Int == 1 && json["notSent"] as? Int == 6, "\(json)")
        let failures = try #require(json["failures"] as? [[String: Any]])
        #expect(failures.first?["example"] as? String == "no reply within the time limit", "\(failures)")
    }
}
