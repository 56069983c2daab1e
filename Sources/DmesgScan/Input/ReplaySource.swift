/// Wraps a source so its first bytes can be looked at (for magic bytes) and then read again.
public struct ReplaySource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private var head: [UInt8] = []
    private var offset = 0
    private var pending: InputError?

    public init(_ upstream: Upstream) { self.upstream = upstream }

    /// Reads up to `count` bytes without consuming them.
    public mutating func peek(_ count: Int) throws(InputError) -> [UInt8] {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        defer { scratch.deallocate() }
        var filled = 0
        while filled < count {
            let n: Int
            do throws(InputError) {
                n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
            } catch {
                // Keep what came before the damage; the error follows it.
                pending = error
                break
            }
            if n == 0 { break }
            filled += n
        }
        head = Array(scratch[0..<filled])
        offset = 0
        return head
    }

    public var consumedBytes: Int { upstream.consumedBytes - (head.count - offset) }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if offset < head.count {
            let n = min(buffer.count, head.count - offset)
            head.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
        if let error = pending {
            pending = nil
            throw error
        }
        return try upstream.read(into: buffer)
    }

    public mutating func close() { upstream.close() }
}
