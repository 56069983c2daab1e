import CBzip2

/// bzip2 through libbz2, stream after stream (pbzip2 and `cat a.bz2 b.bz2` write several).
struct Bzip2Decoder: StreamDecoder {
    static let format = "bzip2"
    private let stream: UnsafeMutablePointer<bz_stream>
    private var open = false

    init() {
        stream = UnsafeMutablePointer<bz_stream>.allocate(capacity: 1)
        stream.initialize(to: bz_stream())
    }

    /// Frees libbz2's state (the owner calls this once, when done).
    func release() {
        if open { BZ2_bzDecompressEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    mutating func step(_ input: inout UnsafeRawBufferPointer, _ output: inout UnsafeMutableRawBufferPointer) -> DecodeStep {
        if !open {
            guard !input.isEmpty else { return .more }
            // Another stream must start with its magic; anything else is trailing data.
            guard input[0] == UInt8(ascii: "B") else { return .failed(.corrupt, "trailing data after the bzip2 stream") }
            stream.pointee = bz_stream()
            guard BZ2_bzDecompressInit(stream, 0, 0) == BZ_OK else { return .failed(.corrupt, "libbz2 cannot start a stream") }
            open = true
        }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_out = UInt32(min(output.count, Int(UInt32.max)))
        let rc = BZ2_bzDecompress(stream)
        input = UnsafeRawBufferPointer(rebasing: input[(input.count - Int(stream.pointee.avail_in))...])
        output = UnsafeMutableRawBufferPointer(rebasing: output[(output.count - Int(stream.pointee.avail_out))...])
        switch rc {
        case BZ_OK: return .more
        case BZ_STREAM_END:
            BZ2_bzDecompressEnd(stream)
            open = false
            return .ended
        case BZ_DATA_ERROR_MAGIC: return .failed(.corrupt, "trailing data after the bzip2 stream (no bzip2 magic)")
        case BZ_MEM_ERROR: return .failed(.corrupt, "libbz2 ran out of memory")
        default: return .failed(.corrupt, "bzip2 data error (libbz2 code \(rc))")
        }
    }
}
