import Testing
@testable import MailCore
@testable import MailClient
@testable import MailAppData

/// Time limits come from options, config files, drafts and the form: none of them may trap, and
/// every limit outside 1 to 3600 seconds is refused with the value named.
@Suite struct TimeoutLimitTests {
    @Test(arguments: [Double.infinity, -Double.infinity, .nan, 1e16, 1e300, 0, -1, 0.5, 3600.5, 1e17])
    func unusableLimitsAreRefused(_ seconds: Double) {
        let problem = Timeouts.problem(perStep: seconds)
        #expect(problem?.contains("1 to 3600 seconds") == true)
        #expect(Timeouts(perStep: seconds).problem != nil)
        #expect(ServerSettings(host: "h", timeouts: Timeouts(perStep: seconds)).problems().contains { $0.setting == .timeout })
        _ = seconds.saturatingMilliseconds
        _ = seconds.plainText
    }

    @Test(arguments: [1.0, 12.5, 30, 3600])
    func usableLimitsPass(_ seconds: Double) {
        #expect(Timeouts.problem(perStep: seconds) == nil)
        #expect(Timeouts(perStep: seconds).problem == nil)
    }

    @Test func conversionsSaturateInsteadOfTrapping() {
        #expect(Double.infinity.saturatingMilliseconds == Int.max)
        #expect(Double.nan.saturatingMilliseconds == 0)
        #expect((-Double.infinity).saturatingInt == Int.min)
        #expect(12.5.saturatingMilliseconds == 12_500)
        #expect(12.5.plainText == "12.5")
        #expect(30.0.plainText == "30")
        #expect(1e300.plainText == "1e+300")
    }

    @Test(arguments: ["inf", "nan", "1e300", "-3", "0", "4000", "\"30\""])
    func aConfigTimeoutOutOfRangeNamesItsLine(_ value: String) {
        let text = "[profiles.work]\nserver = \"h\"\ntimeout = \(value)\n"
        let error = #expect(throws: ConfigError.self) { try ConfigFile.parse(text, path: "c.toml") }
        #expect(error?.line == 3, "\(String(describing: error))")
        #expect(error?.message.contains("timeout") == true)
    }

    @Test func aConfigTimeoutKeepsItsFraction() throws {
        let config = try ConfigFile.parse("[profiles.work]\nserver = \"h\"\ntimeout = 12.5\n", path: "c.toml")
        #expect(config.profiles.first?.settings.timeouts.response == 12.5)
        #expect(ConfigFile.render(config).contains("timeout = 12.5\n"))
    }

    @Test func theConnectWatchCoversConnectsAndHandshakesOnly() {
        let start = ContinuousClock.now
        let accepted = start + .seconds(3)
        #expect(ConnectWatch.connectingSince(start: start, tcpConnectedAfter: nil, implicitTLS: false, startTLSAcceptedAt: nil, handshakeDone: false) == start)
        #expect(ConnectWatch.connectingSince(start: start, tcpConnectedAfter: .seconds(1), implicitTLS: false, startTLSAcceptedAt: nil, handshakeDone: false) == nil,
                "greeting and EHLO have the reply limit")
        #expect(ConnectWatch.connectingSince(start: start, tcpConnectedAfter: .seconds(1), implicitTLS: true, startTLSAcceptedAt: nil, handshakeDone: false) == start + .seconds(1))
        #expect(ConnectWatch.connectingSince(start: start, tcpConnectedAfter: .seconds(1), implicitTLS: false, startTLSAcceptedAt: accepted, handshakeDone: false) == accepted)
        #expect(ConnectWatch.connectingSince(start: start, tcpConnectedAfter: .seconds(1), implicitTLS: false, startTLSAcceptedAt: accepted, handshakeDone: true) == nil)
    }
}

/// `local_server = false` in config.toml: the compose screen never runs its own server.
@Suite struct LocalServerSettingTests {
    @Test func theSettingIsReadAndABadValueNamesItsLine() throws {
        #expect(try ConfigFile.parse("", path: "c.toml").localServer)
        #expect(try !ConfigFile.parse("history_limit = 5\nlocal_server = false\n", path: "c.toml").localServer)
        let error = #expect(throws: ConfigError.self) { try ConfigFile.parse("\nlocal_server = \"no\"\n", path: "c.toml") }
        #expect(error?.line == 2 && error?.message == "local_server must be true or false")
    }
}

/// `spamd` in config.toml: the spamd the compose screen's Checks tab asks for the spam score.
@Suite struct SpamdSettingTests {
    @Test func theSettingIsAnAddressOrTrueForTheLoopbackOne() throws {
        #expect(try ConfigFile.parse("", path: "c.toml").spamd == nil, "not asked unless set")
        #expect(try ConfigFile.parse("spamd = \"127.0.0.1:7830\"\n", path: "c.toml").spamd == "127.0.0.1:7830")
        #expect(try ConfigFile.parse("spamd = \"[::1]:783\"\n", path: "c.toml").spamd == "[::1]:783")
        #expect(try ConfigFile.parse("spamd = true\n", path: "c.toml").spamd == "127.0.0.1:783")
        #expect(try ConfigFile.parse("spamd = false\n", path: "c.toml").spamd == nil)
        for bad in ["\"localhost:783\"", "\"127.0.0.1\"", "\"127.0.0.1:0\"", "783"] {
            let error = #expect(throws: ConfigError.self) { try ConfigFile.parse("\nspamd = \(bad)\n", path: "c.toml") }
            #expect(error?.line == 2 && error?.message.hasPrefix("spamd must be") == true, "\(bad): \(String(describing: error))")
        }
    }
}
