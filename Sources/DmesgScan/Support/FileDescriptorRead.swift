#if canImport(Glibc)
import Glibc
#endif

/// read(2) to the end of a small file (a summary, a list), retrying interrupted reads.
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
}
