#if canImport(Glibc)
import Glibc
#endif

/// Local date and time for lists and reports.
public enum LocalTime {
    /// `2026-11-26 13:28:11`, or `11-26 13:28` when `short`.
    public static func text(_ time: Int, short: Bool = false) -> String {
        var t = time_t(time)
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = "\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
        if short { return "\(day) \(two(parts.tm_hour)):\(two(parts.tm_min))" }
        return "\(parts.tm_year + 1900)-\(day) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}
