/// Input formats told apart by their first bytes.
public enum MagicBytes: Equatable, Sendable {
    case gzip, xz, bzip2, zstd, lz4, zip, sevenZip, cpio, tar, journal, text
    case unsupported(String)

    static func hasPrefix(_ head: [UInt8], _ magic: [UInt8], at offset: Int = 0) -> Bool {
        head.count >= offset + magic.count && Array(head[offset..<(offset + magic.count)]) == magic
    }

    public static func detect(_ head: [UInt8]) -> MagicBytes {
        if hasPrefix(head, [0x1f, 0x8b]) { return .gzip }
        if hasPrefix(head, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .xz }
        if hasPrefix(head, Array("BZh".utf8)), head.count > 3, head[3] >= UInt8(ascii: "1"), head[3] <= UInt8(ascii: "9") { return .bzip2 }
        if hasPrefix(head, [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
        if hasPrefix(head, [0x04, 0x22, 0x4D, 0x18]) { return .lz4 }
        if hasPrefix(head, [0x50, 0x4B, 0x03, 0x04]) || hasPrefix(head, [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if hasPrefix(head, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) { return .sevenZip }
        if hasPrefix(head, Array("070707".utf8)) || hasPrefix(head, Array("070701".utf8)) || hasPrefix(head, Array("070702".utf8)) { return .cpio }
        if hasPrefix(head, Array("ustar".utf8), at: 257) { return .tar }
        if hasPrefix(head, Array("LPKSHHRH".utf8)) { return .journal }
        if hasPrefix(head, [0x7F, 0x45, 0x4C, 0x46]) { return .unsupported("an ELF binary") }
        if hasPrefix(head, [0x89, 0x50, 0x4E, 0x47]) { return .unsupported("a PNG image") }
        if hasPrefix(head, [0xFF, 0xD8, 0xFF]) { return .unsupported("a JPEG image") }
        if hasPrefix(head, Array("%PDF".utf8)) { return .unsupported("a PDF document") }
        return .text
    }
}
