import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// A time on the command line, in the forms journalctl takes: `2026-11-30`,
/// `2026-11-30 14:00[:05]`, ISO 8601 with a zone, `@1767225600`, `now`, `today`,
/// `yesterday`, `tomorrow`, `-2h`, `+30min`, `3d ago`. Times without a zone are local.
enum TimeArgument {
    static func seconds(_ text: String, now: Double = Double(time(nil))) -> Double? {
        let word = text.trimmed.lowercased()
        switch word {
        case "now": return now
        case "today": return midnight(now)
        case "yesterday": return midnight(now) - 86_400
        case "tomorrow": return midnight(now) + 86_400
        default: break
        }
        if word.hasPrefix("@") { return Double(word.dropFirst()) }
        if word.hasPrefix("-") || word.hasPrefix("+") {
            return span(String(word.dropFirst())).map { word.hasPrefix("-") ? now - $0 : now + $0 }
        }
        if word.hasSuffix(" ago") { return span(String(word.dropLast(4))).map { now - $0 } }
        return WallClock.unixSeconds(iso: text.trimmed)
    }

    /// `90s`, `5min`, `2h`, `3d`, `1w`, `2 hours`: a length of time in seconds.
    private static func span(_ text: String) -> Double? {
        let trimmed = text.trimmed
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(digits) else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmed
        let units: [(names: [String], seconds: Double)] = [
            (["s", "sec", "secs", "second", "seconds"], 1),
            (["m", "min", "mins", "minute", "minutes"], 60),
            (["h", "hr", "hour", "hours"], 3600),
            (["d", "day", "days"], 86_400),
            (["w", "week", "weeks"], 604_800),
        ]
        if unit.isEmpty { return value }
        guard let match = units.first(where: { $0.names.contains(unit) }) else { return nil }
        return value * match.seconds
    }

    private static func midnight(_ now: Double) -> Double {
        var clock = time_t(now)
        var parts = tm()
        localtime_r(&clock, &parts)
        parts.tm_hour = 0
        parts.tm_min = 0
        parts.tm_sec = 0
        parts.tm_isdst = -1
        return Double(mktime(&parts))
    }
}

private extension StringProtocol {
    var trimmed: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
