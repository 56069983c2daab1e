/// Makes titles independent of the machine and build, and derives the 0-day robot's error
/// ids. Its regexes own PCRE2 match data, so each rule set (one per worker thread) has its
/// own normalizer and no lock is shared between workers.
public final class TitleNormalizer {
    private let address = try! PCRE2Regex(#"\b(?:0x[0-9a-fA-F]+|(?=[0-9a-f]*[0-9])[0-9a-f]{6,})\b"#)
    private let sourceLine = try! PCRE2Regex(#"(?<=\.[a-zA-Z])(?::\d+)+"#)
    private let cpu = try! PCRE2Regex(#"CPU#\d+"#)
    private let number = try! PCRE2Regex(#"(?<![A-Za-z0-9_])\d+(?![A-Za-z0-9_])"#)
    private let offsets = try! PCRE2Regex(#"\+0x[0-9a-f]+/0x[0-9a-f]+|\[<?[0-9a-f]+>?\]|\b0x[0-9a-f]+\b|\b[0-9a-f]{8,}\b"#)

    public init() {}

    /// Addresses → `ADDR`, `file.c:123` → `file.c`, `CPU#3` → `CPU`, other numbers → `NUM`,
    /// control characters dropped, at most 120 characters.
    public func normalize(_ title: String) -> String {
        var text = address.replaceAll(in: title) { _ in "ADDR" }
        text = sourceLine.replaceAll(in: text) { _ in "" }
        text = cpu.replaceAll(in: text) { _ in "CPU" }
        text = number.replaceAll(in: text) { _ in "NUM" }
        // Control characters (C0 and DEL) are single bytes in UTF-8: dropped over the bytes.
        var bytes = Array(text.utf8)
        bytes.removeAll { $0 < 0x20 || $0 == 0x7F }
        return TitleNormalizer.prefix(bytes, characters: 120)
    }

    /// The first `count` characters of `bytes` (valid UTF-8); no more bytes than characters
    /// needs no counting.
    static func prefix(_ bytes: [UInt8], characters count: Int) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return bytes.count <= count || text.count <= count ? text : String(text.prefix(count))
    }

    /// The 0-day robot's error id: from the rule's `lkp` template when it has one, else from
    /// the banner line without offsets and addresses, digits as `#`, spaces as `_`.
    public func lkpID(template: String?, fields: [String: String], banner: String) -> String {
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
            // Only the captures the template names are squashed.
            return ReportTitle.render(template, missing: "") { name in name == "guilty" ? nil : fields[name].map(squash) }
        }
        // ": " → ":", spaces trimmed at both ends, squashed, then no trailing "_:.,!".
        var joined: [UInt8] = []
        var bytes = offsets.replaceAll(in: banner) { _ in "" }.utf8[...]
        while let byte = bytes.popFirst() {
            joined.append(byte)
            if byte == UInt8(ascii: ":"), bytes.first == 0x20 { bytes.removeFirst() }
        }
        let first = joined.firstIndex { $0 != 0x20 } ?? joined.endIndex
        let last = joined.lastIndex { $0 != 0x20 }.map { $0 + 1 } ?? first
        var id = Array(squash(String(decoding: joined[first..<max(first, last)], as: UTF8.self)).utf8)
        trailing: while let end = id.last {
            switch end {
            case UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "!"): id.removeLast()
            default: break trailing
            }
        }
        return TitleNormalizer.prefix(id, characters: 100)
    }
}
