/// Fills a rule's title template the way syzkaller does: `{name}` is a capture of the
/// report, `{guilty}` the guilty frame, `{a|b}` the first of them with a value; a missing
/// value becomes `corrupted`. (`TitleNormalizer` then makes the title machine-independent.)
enum ReportTitle {
    static func render(_ template: String, fields: [String: String], guilty: String?, missing: String = "corrupted") -> String {
        render(template, missing: missing) { key in key == "guilty" ? guilty : fields[key] }
    }

    /// `render` with the values given by `value(name)`: callers with a few values beside the
    /// captures look them up there instead of copying the captures into a new dictionary.
    static func render(_ template: String, missing: String = "corrupted", _ value: (String) -> String?) -> String {
        // Over the template's UTF-8 in place: braces are ASCII, so they never fall inside a
        // character's bytes, and a template is rendered for every report and verdict (walking
        // `String.UTF8View` indices cost about 6,000 instructions a verdict message).
        var template = template
        return template.withUTF8 { bytes -> String? in
            guard var open = bytes.firstIndex(of: UInt8(ascii: "{")) else { return nil }
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count + 32)
            var rest = 0
            while let close = bytes[open...].firstIndex(of: UInt8(ascii: "}")) {
                result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[rest..<open]))
                // `{a|b}`: the first of a, b that has a value.
                var found: String?
                for name in bytes[(open + 1)..<close].split(separator: UInt8(ascii: "|")) {
                    if let text = value(String(decoding: UnsafeBufferPointer(rebasing: name), as: UTF8.self)) {
                        found = text
                        break
                    }
                }
                result.append(contentsOf: (found.map(stripOffset) ?? missing).utf8)
                rest = close + 1
                guard let next = bytes[rest...].firstIndex(of: UInt8(ascii: "{")) else { break }
                open = next
            }
            result.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[rest...]))
            return String(decoding: result, as: UTF8.self)
        } ?? template
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
