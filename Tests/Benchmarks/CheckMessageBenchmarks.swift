import Foundation
import Testing
import MailCore

/// How long `check-message`'s checks take on a 5 MB message of each hostile HTML shape (the aim:
/// under a second each, in a release build). Figures only with MAILTUI_BENCH=1 (bench/run.sh);
/// without it each shape runs once at 10 kB, so the code keeps compiling and running.
@Suite struct CheckMessageBenchmarks {
    @Test func hostileHTMLAtFiveMegabytes() {
        let measuring = ProcessInfo.processInfo.environment["MAILTUI_BENCH"] == "1"
        let bytes = measuring ? 5_000_000 : 10_000
        let clock = ContinuousClock()
        for unit in ["<", "<a href=\"", "<!--x>", "<div style=\"color:red\">", "<style>a{color:red}",
                     "<img src=\"http://e.com/p.gif\" width=1 height=1>", "/*{;:", "<a href=x>click here"] {
            let html = String(repeating: unit, count: bytes / unit.utf8.count)
            let message = Array(("From: a@example.com\r\nDate: x\r\nMessage-ID: <a@b>\r\nContent-Type: text/html\r\n\r\n" + html).utf8)
            let start = clock.now
            _ = MessageCheck(bytes: message).run()
            let took = clock.now - start
            guard measuring else { continue }
            let padded = unit + String(repeating: " ", count: max(0, 52 - unit.count))
            print("  check-message, 5 MB of \(padded) \(took.milliseconds) ms (aim: under 1000 ms)")
        }
    }
}
