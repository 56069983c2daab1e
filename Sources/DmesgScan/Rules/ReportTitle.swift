/// Fills a rule's title template the way syzkaller does: `{name}` is a capture of the
/// report, `{guilty}` the guilty frame, `{a|b}` the first of them with a value; a missing
/// value becomes `corrupted`. (`TitleNormalizer` then makes the title machine-independent.)
enum ReportTitle {
    static func render(_ template: String, fields: [String: String], guilty: String?, missing: String = "corrupted") -> String {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            // `{a|b}`: the first of a, b that has a value.
            let names = rest[rest.index(after: open)..<close].split(separator: "|").map(String.init)
            let value = names.lazy.compactMap { $0 == "guilty" ? guilty : fields[$0] }.first
            result += value.map(stripOffset) ?? missing
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    static func usesGuilty(_ template: String) -> Bool { template.contains("{guilty}") }

    /// Whether every `{name}` of the template other than `{guilty}` has a value.
    static func hasFields(_ template: String, _ fields: [String: String]) -> Bool {
        // Rendered with two different fillers for absent values: equal when none was needed.
        render(template, fields: fields, guilty: "", missing: "a") == render(template, fields: fields, guilty: "", missing: "b")
    }

    static func stripOffset(_ function: String) -> String {
        if let offset = function.firstRange(of: "+0x") { return String(function[..<offset.lowerBound]) }
        return function
    }

}
