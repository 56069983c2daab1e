#if canImport(Glibc)
import Glibc
#endif

/// read(2) of a small file to its end (a list), or of a large one in steps (a summary),
/// retrying interrupted reads.
public enum FileDescriptorRead {
    /// Appends everything left in `fd` to `bytes`; false when a read failed.
    @discardableResult
    public static func toEnd(_ fd: Int32, appendingTo bytes: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 1 << 16) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return false }
            if n == 0 { return true }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Appends the next bytes of `fd` (up to 1 MiB; nothing at its end) to `bytes`; false when
    /// the read failed.
    public static func some(_ fd: Int32, appendingTo bytes: inout [UInt8]) -> Bool {
        let size = 1 << 20
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = read(fd, chunk.baseAddress, size)
            if n < 0 && errno == EINTR { continue }
            if n > 0 { bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<n])) }
            return n >= 0
        }
    }
}
