/// Fills a rule's title template the way syzkaller does: `{name}` is a capture of the
/// report, `{guilty}` the guilty frame, `{a|b}` the first of them with a value; a missing
/// value becomes `corrupted`. (`TitleNormalizer` then makes the title machine-independent.)
enum ReportTitle {
    static func render(_ template: String, fields: [String: String], guilty: String?, missing: String = "corrupted") -> String {
        // Over UTF-8: braces are ASCII, so they never fall inside a character's bytes, and a
        // template is rendered for every report and verdict.
        let bytes = template.utf8
        guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return template }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 32)
        var rest = bytes.startIndex
        while let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
            result.append(contentsOf: bytes[rest..<open])
            // `{a|b}`: the first of a, b that has a value.
            var value: String?
            for name in bytes[bytes.index(after: open)..<close].split(separator: UInt8(ascii: "|")) {
                let key = String(Substring(name))
                if let found = key == "guilty" ? guilty : fields[key] {
                    value = found
                    break
                }
            }
            result.append(contentsOf: (value.map(stripOffset) ?? missing).utf8)
            rest = bytes.index(after: close)
            guard let next = bytes[rest...].firstIndex(of: UInt8(ascii: "{")) else { break }
            open = next
        }
        result.append(contentsOf: bytes[rest...])
        return String(decoding: result, as: UTF8.self)
    }

    static func usesGuilty(_ template: String) -> Bool {
        // Over bytes: Foundation's `contains` costs about 9,000 instructions a call here.
        let needle = "{guilty}".utf8
        let bytes = template.utf8
        var index = bytes.startIndex
        while let brace = bytes[index...].firstIndex(of: UInt8(ascii: "{")) {
            if bytes[brace...].starts(with: needle) { return true }
            index = bytes.index(after: brace)
        }
        return false
    }

    /// Whether every `{name}` of the template other than `{guilty}` has a value.
    static func hasFields(_ template: String, _ fields: [String: String]) -> Bool {
        // Rendered with two different fillers for absent values: equal when none was needed.
        render(template, fields: fields, guilty: "", missing: "a") == render(template, fields: fields, guilty: "", missing: "b")
    }

    static func stripOffset(_ function: String) -> String {
        let bytes = function.utf8
        var index = bytes.startIndex
        while let plus = bytes[index...].firstIndex(of: UInt8(ascii: "+")) {
            let rest = bytes[bytes.index(after: plus)...]
            if rest.starts(with: "0x".utf8) { return String(Substring(bytes[..<plus])) }
            index = rest.startIndex
        }
        return function
    }

}
