/// A kernel release as printed in `Linux version <release>`: `7.1.0-rc2`, `6.9.0-rc2-next-20240404`,
/// `5.15.0-91-generic`.
public struct KernelVersion: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var release: String
    public var major: Int
    public var minor: Int
    public var patch: Int
    public var rc: Int?
    /// The linux-next date, `20240404` in `-next-20240404`.
    public var next: String?

    public init?(release: String) {
        let bytes = Array(release.utf8)
        var i = 0
        func number() -> Int? {
            var value = 0
            var digits = 0
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57, digits < 6 {
                value = value * 10 + Int(bytes[i] - 48)
                i += 1
                digits += 1
            }
            return digits > 0 ? value : nil
        }
        guard let major = number(), i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard let minor = number() else { return nil }
        var patch = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            patch = number() ?? 0
        }
        self.release = release
        self.major = major
        self.minor = minor
        self.patch = patch
        // Byte searches, for ASCII digits: `firstRange(of:)` on a String cost 26,000
        // instructions a banner.
        let tail = bytes[i...]
        rc = KernelVersion.digits(after: Array("-rc".utf8), in: tail).flatMap { Int(String(decoding: $0, as: UTF8.self)) }
        next = KernelVersion.digits(after: Array("-next-".utf8), in: tail).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The ASCII digits right after the first `marker` in `bytes` (empty when none follow),
    /// or nil without the marker.
    private static func digits(after marker: [UInt8], in bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        guard bytes.count >= marker.count else { return nil }
        var start = bytes.startIndex
        while start + marker.count <= bytes.endIndex {
            if bytes[start..<start + marker.count].elementsEqual(marker) {
                let first = start + marker.count
                var end = first
                while end < bytes.endIndex, bytes[end] >= 48, bytes[end] <= 57 { end += 1 }
                return bytes[first..<end]
            }
            start += 1
        }
        return nil
    }

    public init(major: Int, minor: Int, patch: Int = 0) {
        self.release = "\(major).\(minor).\(patch)"
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Orders by major.minor.patch only: a `-rc` or linux-next build of 7.1 counts as 7.1,
    /// since it carries the changes merged for 7.1.
    public static func < (a: KernelVersion, b: KernelVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public static func == (a: KernelVersion, b: KernelVersion) -> Bool {
        (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
    }

    public var description: String { release }
}
