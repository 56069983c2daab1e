#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time of a record, when its format shows one, as ISO 8601 for ECS `@timestamp`.
/// journald gives microseconds since the epoch (UTC); `dmesg -T` and short-iso give text.
/// BSD syslog lines (`Jun  2 09:25:11`) have no year, so they give none.
public enum WallClock {
    /// `1780911600100000` µs → `2026-06-08T09:40:00.100000Z`.
    public static func iso8601(unixMicros: Int) -> String {
        let seconds = unixMicros / 1_000_000
        let micros = unixMicros % 1_000_000
        let days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let (year, month, day) = civil(fromDays: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(micros, 6))Z"
    }

    /// `2024-05-08T08:20:04+0200` stays as it is (with `T`); `Wed May  8 08:20:04 2024`
    /// (dmesg -T, English month names) becomes `2024-05-08T08:20:04`, local time.
    public static func iso8601(text: String) -> String? {
        let parts = text.split(separator: " ")
        if let first = parts.first, first.count >= 19, first.dropFirst(4).first == "-" {
            return text.count > 10 && text[text.index(text.startIndex, offsetBy: 10)] == " "
                ? String(text.prefix(10)) + "T" + String(text.dropFirst(11)) : text
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 5, let month = months.firstIndex(of: String(parts[1])), let day = Int(parts[2]),
              let year = Int(parts[4]), parts[3].count == 8 else { return nil }
        return "\(pad(year, 4))-\(pad(month + 1, 2))-\(pad(day, 2))T\(parts[3])"
    }

    /// `2024-05-08`, `2024-05-08 08:20`, `2024-05-08T08:20:04,123456+0200`, `…Z` or
    /// `…+02:00` → seconds since the epoch. Without a zone the time is local (as `dmesg -T`
    /// prints it and as a user types it); without a time it is midnight.
    public static func unixSeconds(iso text: String) -> Double? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for c in b[from..<(from + count)] {
                guard c >= 0x30 && c <= 0x39 else { return nil }
                value = value * 10 + Int(c - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), b.count >= 10, b[4] == 0x2D, let month = number(5, 2), b[7] == 0x2D,
              let day = number(8, 2), (1...12).contains(month), (1...31).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0
        var fraction = 0.0
        var i = 10
        if i < b.count && (b[i] == 0x54 || b[i] == 0x20) {  // T or space
            guard let h = number(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let m = number(i + 4, 2), h < 24, m < 60 else { return nil }
            hour = h; minute = m; i += 6
            if i < b.count && b[i] == 0x3A {
                guard let s = number(i + 1, 2), s <= 60 else { return nil }
                second = s; i += 3
                if i < b.count && (b[i] == 0x2E || b[i] == 0x2C) {  // . or ,
                    var scale = 0.1
                    i += 1
                    while i < b.count, b[i] >= 0x30 && b[i] <= 0x39 {
                        fraction += Double(b[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                }
            }
        }
        var offset: Int?
        if i < b.count {
            if b[i] == 0x5A && i + 1 == b.count {  // Z
                offset = 0
            } else if b[i] == 0x2B || b[i] == 0x2D, let h = number(i + 1, 2) {
                let rest = b.count - (i + 3)
                let m = rest == 0 ? 0 : rest == 2 ? number(i + 3, 2) : rest == 3 && b[i + 3] == 0x3A ? number(i + 4, 2) : nil
                guard let m else { return nil }
                offset = (b[i] == 0x2D ? -1 : 1) * (h * 3600 + m * 60)
            } else {
                return nil
            }
        }
        if let offset {
            let days = days(fromCivil: year, month, day)
            return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1
        return Double(mktime(&parts)) + fraction
    }

    /// (year, month, day) → days since 1970-01-01, the inverse of `civil(fromDays:)`.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
