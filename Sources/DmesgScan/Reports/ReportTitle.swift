/// Fills a rule's title template: `{name}` is a capture of the banner, `{guilty}` the
/// guilty frame. A missing value becomes `corrupted`, as in syzkaller's titles.
/// `func+0x1a/0x40` in a value is shortened to `func` so titles do not depend on the build.
enum ReportTitle {
    static func render(_ template: String, fields: [String: String], guilty: String?) -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            let value = name == "guilty" ? guilty : (fields[name] ?? (name == "func" ? guilty : nil))
            result += value.map(stripOffset) ?? "corrupted"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func stripOffset(_ function: String) -> String {
        if let offset = function.firstRange(of: "+0x") { return String(function[..<offset.lowerBound]) }
        return function
    }
}
