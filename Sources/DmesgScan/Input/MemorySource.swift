/// A `ByteSource` over bytes in memory, handed out in chunks of at most `chunk` bytes (for
/// tests and fuzzing, which want short reads at odd places).
public struct MemorySource: ByteSource {
    private let bytes: [UInt8]
    private let chunk: Int
    private var position = 0

    public init(_ bytes: [UInt8], chunk: Int = 1 << 16) {
        self.bytes = bytes
        self.chunk = max(1, chunk)
    }

    public var consumedBytes: Int { position }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(chunk, buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
        position += n
        return n
    }

    public mutating func close() {}
}
