/// An error of the Input stage. It holds no path: the driver adds it where it is known.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case open, read, truncated, corrupt, trailingGarbage, archive, unsupported
    }
    public let kind: Kind
    /// Byte offset in the (compressed) input where the damage was found.
    public let offset: Int?
    public let detail: String
    /// The format whose data is damaged, for the message ("gzip", "xz", "journal").
    public let format: String

    public init(_ kind: Kind, offset: Int? = nil, format: String = "gzip", _ detail: String) {
        self.kind = kind
        // libarchive reports -1 when it cannot tell where it stopped.
        self.offset = offset.flatMap { $0 >= 0 ? $0 : nil }
        self.detail = detail
        self.format = format
    }

    public var description: String {
        let at = offset.map { " at byte \($0)" } ?? ""
        switch kind {
        case .open: return "cannot open: \(detail)"
        case .read: return "read error\(at): \(detail)"
        case .truncated: return "truncated \(format) data\(at): \(detail)"
        case .corrupt: return "corrupt \(format) data\(at): \(detail)"
        case .trailingGarbage: return "trailing garbage after \(format) data\(at): \(detail)"
        case .archive: return "archive error\(at): \(detail)"
        case .unsupported: return "unsupported input format: \(detail)"
        }
    }
}
