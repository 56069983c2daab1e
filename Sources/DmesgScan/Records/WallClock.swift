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
