import Foundation
import MailCore
@testable import MailServer
import NIOCore
import NIOEmbedded
import Testing

extension FaultBook {
    /// An arrival with no facts that matter (the faults that key on none).
    func reach(_ stage: SMTPStage) -> (fault: Fault, occurrence: Int)? { reach(stage, FaultFacts()) }
}

/// The faults shaped like real limits, as `--fault` writes them and as the fault book decides them.
@Suite struct FaultLimitParsingTests {
    @Test(arguments: [
        ("mail=throttle 10/min", FaultAction.throttle(count: 10, seconds: 60, scope: .login, code: 454, text: Fault.throttleReply.text),
         "mail=throttle 10/min per-login 454 4.7.0 Too many messages, slow down and try again later"),
        ("data=throttle 14/s per-sender 454 Throttling failure: Maximum sending rate exceeded.",
         .throttle(count: 14, seconds: 1, scope: .sender, code: 454, text: "Throttling failure: Maximum sending rate exceeded."),
         "data=throttle 14/s per-sender 454 Throttling failure: Maximum sending rate exceeded."),
        ("mail=throttle 3/90s", .throttle(count: 3, seconds: 90, scope: .login, code: 454, text: Fault.throttleReply.text),
         "mail=throttle 3/90s per-login 454 4.7.0 Too many messages, slow down and try again later"),
        ("data=throttle 14/s ses-throttling", .throttle(count: 14, seconds: 1, scope: .login, code: 454, text: "Throttling failure: Maximum sending rate exceeded."),
         "data=throttle 14/s per-login 454 Throttling failure: Maximum sending rate exceeded."),
        ("rcpt=greylist 60", .greylist(seconds: 60), "rcpt=greylist 60"),
        ("data=bandwidth 20kB/s", .bandwidth(bytesPerSecond: 20_000), "data=bandwidth 20kB/s"),
        ("data=bandwidth 1MB/s", .bandwidth(bytesPerSecond: 1_000_000), "data=bandwidth 1MB/s"),
        ("data=bandwidth 500B/s", .bandwidth(bytesPerSecond: 500), "data=bandwidth 500B/s"),
        ("data=close-after 4096", .closeAfter(bytes: 4096), "data=close-after 4096"),
    ])
    func eachLimitParsesAndIsWrittenBackTheSameWay(_ text: String, _ action: FaultAction, _ written: String) throws {
        let fault = try Fault(parsing: text)
        #expect(fault.action == action)
        #expect(fault.description == written)
        #expect(try Fault(parsing: fault.description) == fault, "what it writes parses back")
        let json = try JSONEncoder().encode(fault)
        #expect(try JSONDecoder().decode(Fault.self, from: json) == fault)
    }

    @Test func aChanceIsAPercentageAtTheEnd() throws {
        let fault = try Fault(parsing: "rcpt=550 5.1.1 No such user ~30%")
        #expect(fault.action == .reply(code: 550, text: "5.1.1 No such user") && fault.probability == 0.3)
        #expect(fault.description == "rcpt=550 5.1.1 No such user ~30%")
        #expect(try Fault(parsing: "mail=delay 2 ~12.5%").probability == 0.125)
        #expect(try Fault(parsing: "rcpt=550 5.1.1 No such user").probability == nil)
    }

    @Test(arguments: [
        ("mail=greylist 60", "greylist is for the rcpt stage"),
        ("rcpt=bandwidth 20kB/s", "bandwidth is for the data stage"),
        ("data=bandwidth fast", "bandwidth takes a rate"),
        ("data=bandwidth 0kB/s", "bandwidth takes a rate"),
        ("data=close-after 0", "close-after takes a number of octets"),
        ("mail=close-after 10", "close-after is for the data stage"),
        ("mail=throttle ten/min", "throttle takes a rate"),
        ("mail=throttle 10/fortnight", "throttle takes a rate"),
        ("mail=throttle 10/min per-planet", "throttle counts per-login or per-sender"),
        ("mail=throttle 10/min 250 fine", "after the rate"),
        ("ehlo=throttle 10/min", "throttle is for the mail, rcpt or data stage"),
        ("mail=throttle 10/min greylisting", "has no reply to lend"),
        ("rcpt=550 No ~130%", "~P% takes a percentage"),
        ("rcpt=greylist 1e9", "greylist takes seconds"),
    ])
    func aWrongLimitSaysWhatToWrite(_ text: String, _ reason: String) {
        #expect(throws: FaultError.self) { try Fault(parsing: text) }
        do { _ = try Fault(parsing: text) } catch { #expect(error.reason.contains(reason), "\(error.reason)") }
    }
}

@Suite struct FaultLimitBookTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    func at(_ seconds: Double, login: String? = nil, sender: String? = nil) -> FaultFacts {
        FaultFacts(client: "127.0.0.1", login: login, sender: sender, now: start + .milliseconds(Int64(seconds * 1000)))
    }

    @Test func aRateLimitStrikesPastTheRateAndLetsThroughAgainAsTheWindowMoves() throws {
        let book = FaultBook([try Fault(parsing: "mail=throttle 3/min")])
        let struck = (0..<5).map { book.reach(.mail, at(Double($0), login: "ann")) != nil }
        #expect(struck == [false, false, false, true, true])
        #expect(book.reach(.mail, at(5, login: "bob")) == nil, "per login: another login has its own count")
        #expect(book.reach(.mail, at(59.9, login: "ann")) != nil)
        #expect(book.reach(.mail, at(60.5, login: "ann")) == nil, "the first of the three left the window")
        #expect(book.reach(.mail, at(60.6, login: "ann")) != nil)
    }

    @Test func aRateLimitPerSenderCountsTheSenderWhateverTheLogin() throws {
        let book = FaultBook([try Fault(parsing: "mail=throttle 1/h per-sender")])
        #expect(book.reach(.mail, at(0, login: "a", sender: "x@example.com")) == nil)
        #expect(book.reach(.mail, at(1, login: "b", sender: "X@example.com")) != nil)
        #expect(book.reach(.mail, at(2, login: "a", sender: "y@example.com")) == nil)
    }

    @Test func theSameSeedStrikesTheSameArrivalsAndAnotherSeedOthers() throws {
        let fault = try Fault(parsing: "rcpt=550 5.1.1 No such user ~30%")
        func strikes(_ seed: UInt64) -> [Bool] {
            let book = FaultBook([fault], seed: seed)
            return (0..<1000).map { _ in book.reach(.rcpt) != nil }
        }
        let first = strikes(42)
        #expect(strikes(42) == first)
        #expect(strikes(43) != first)
        let count = first.filter { $0 }.count
        #expect((220...380).contains(count), "about 30% of 1000: \(count)")
        // Clearing and setting again starts the chances from the seed again.
        let book = FaultBook([fault], seed: 42)
        _ = (0..<10).map { _ in book.reach(.rcpt) }
        book.replace(with: [fault], once: false)
        #expect((0..<1000).map { _ in book.reach(.rcpt) != nil } == first)
    }

    @Test func theLimitsTablesStayBounded() {
        var ledger = LimitLedger()
        for n in 0..<(LimitLedger.keyCap + 10) {
            _ = ledger.greylists(client: "c", sender: "s", recipient: "r\(n)", seconds: 60, now: start)
            _ = ledger.throttles("k\(n)", count: 1, seconds: 60, now: start)
        }
        #expect(ledger.keys <= 2 * LimitLedger.keyCap)
        let deferredAgain = ledger.greylists(client: "c", sender: "s", recipient: "r1", seconds: 60, now: start + .seconds(61))
        #expect(deferredAgain, "past the cap it started again: r1 is a first try again")
    }
}
