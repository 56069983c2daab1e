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
        let clean = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.map(Character.init))
        return clean.count > 120 ? String(clean.prefix(120)) : clean
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
            return ReportTitle.render(template, fields: fields.mapValues(squash), guilty: nil, missing: "")
        }
        var text = offsets.replaceAll(in: banner) { _ in "" }
        text = text.replacing(": ", with: ":")
        text = squash(text.trimmingSpaces())
        while let last = text.last, "_:.,!".contains(last) { text.removeLast() }
        return String(text.prefix(100))
    }
}
