#if canImport(Glibc)
import Glibc
#endif

/// write(2) until everything is written, retrying interrupted writes.
public enum FileDescriptorWrite {
    /// Writes all of `text` to `fd`: nil, or the errno that stopped it.
    public static func all(_ fd: Int32, _ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { all(fd, UnsafeRawBufferPointer($0)) }
    }

    public static func all(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += n
        }
        return nil
    }
}
