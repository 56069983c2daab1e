/// Builds report titles and ids the way syzkaller and the 0-day robot do.
///
/// `render` fills a rule's template: `{name}` is a capture of the report, `{guilty}` the
/// guilty frame, `{a|b}` the first of them with a value; a missing value becomes `corrupted`. `normalize` makes a title independent
/// of the machine and build: addresses → `ADDR`, `file.c:123` → `file.c`, `CPU#3` → `CPU`,
/// other numbers → `NUM`, at most 120 characters.
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

    nonisolated(unsafe) private static let address = try! PCRE2Regex(#"\b(?:0x[0-9a-fA-F]+|(?=[0-9a-f]*[0-9])[0-9a-f]{6,})\b"#)
    nonisolated(unsafe) private static let sourceLine = try! PCRE2Regex(#"(?<=\.[a-zA-Z])(?::\d+)+"#)
    nonisolated(unsafe) private static let cpu = try! PCRE2Regex(#"CPU#\d+"#)
    nonisolated(unsafe) private static let number = try! PCRE2Regex(#"(?<![A-Za-z0-9_])\d+(?![A-Za-z0-9_])"#)
    private static let titleLock = Mutex(())

    static func normalize(_ title: String) -> String {
        titleLock.withLock { _ in
            var text = address.replaceAll(in: title) { _ in "ADDR" }
            text = sourceLine.replaceAll(in: text) { _ in "" }
            text = cpu.replaceAll(in: text) { _ in "CPU" }
            text = number.replaceAll(in: text) { _ in "NUM" }
            let clean = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.map(Character.init))
            return clean.count > 120 ? String(clean.prefix(120)) : clean
        }
    }

    nonisolated(unsafe) private static let offsets = try! PCRE2Regex(#"\+0x[0-9a-f]+/0x[0-9a-f]+|\[<?[0-9a-f]+>?\]|\b0x[0-9a-f]+\b|\b[0-9a-f]{8,}\b"#)

    /// The 0-day robot's error id: from the rule's `lkp` template when it has one, else from
    /// the banner line without offsets and addresses, digits as `#`, spaces as `_`.
    static func lkpID(template: String?, fields: [String: String], banner: String) -> String {
        func squash(_ text: String) -> String {
            // A run of digits becomes one '#', a run of white space one '_'.
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            var inSpace = false
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if out.last != UInt8(ascii: "#") { out.append(UInt8(ascii: "#")) }
                    inSpace = false
                case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                    if !inSpace { out.append(UInt8(ascii: "_")) }
                    inSpace = true
                default:
                    out.append(byte)
                    inSpace = false
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        if let template {
            return render(template, fields: fields.mapValues(squash), guilty: nil, missing: "")
        }
        var text = titleLock.withLock { _ in offsets.replaceAll(in: banner) { _ in "" } }
        text = text.replacing(": ", with: ":")
        text = squash(text.trimmingSpaces())
        while let last = text.last, "_:.,!".contains(last) { text.removeLast() }
        return String(text.prefix(100))
    }
}

import Synchronization
