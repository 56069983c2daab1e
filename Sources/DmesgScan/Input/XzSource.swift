import CLzma

/// Decodes .xz (and concatenated .xz streams) with liblzma directly, so that on a
/// truncated or corrupt file every byte decoded before the damage is delivered first, as
/// `GzipSource` does. (libarchive's xz filter drops its last buffer on such errors.)
public final class XzSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private let stream: UnsafeMutablePointer<lzma_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var upstreamEnded = false
    private var state = DeferredError()
    private var consumedBefore = 0

    public init(upstream: Upstream) {
        self.upstream = upstream
        stream = UnsafeMutablePointer<lzma_stream>.allocate(capacity: 1)
        stream.initialize(to: clzma_stream_init())
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        _ = lzma_stream_decoder(stream, UInt64.max, 0x08 /* LZMA_CONCATENATED */)
    }

    deinit {
        lzma_end(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }

    public var consumedBytes: Int { upstream.consumedBytes }

    /// Offset in the compressed input of the next byte liblzma will read.
    private var position: Int { Int(stream.pointee.total_in) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if try state.check() { return 0 }
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = buffer.count
        var produced: Int { buffer.count - stream.pointee.avail_out }
        while stream.pointee.avail_out > 0 {
            var action = LZMA_RUN
            if stream.pointee.avail_in == 0 && !upstreamEnded {
                let n: Int
                do throws(InputError) { n = try upstream.read(into: input) } catch { return try state.fail(error, produced: produced) }
                if n == 0 { upstreamEnded = true }
                stream.pointee.next_in = UnsafePointer(input.baseAddress!.assumingMemoryBound(to: UInt8.self))
                stream.pointee.avail_in = n
            }
            if upstreamEnded { action = LZMA_FINISH }
            let rc = lzma_code(stream, action)
            switch rc {
            case LZMA_OK:
                continue
            case LZMA_STREAM_END:
                state.finish()
                return produced
            case LZMA_BUF_ERROR where upstreamEnded:
                return try state.fail(InputError(.truncated, offset: position, format: "xz", "unexpected end of input inside an xz stream"), produced: produced)
            case LZMA_BUF_ERROR:
                continue
            case LZMA_MEM_ERROR, LZMA_MEMLIMIT_ERROR:
                // The machine's limit, not damage in the file.
                return try state.fail(InputError(.read, offset: position, format: "xz", "liblzma ran out of memory decoding xz (code \(rc.rawValue))"), produced: produced)
            case LZMA_OPTIONS_ERROR:
                return try state.fail(InputError(.unsupported, offset: position, format: "xz", "xz options this liblzma does not support"), produced: produced)
            default:
                return try state.fail(InputError(.corrupt, offset: position, format: "xz", "xz data error (liblzma code \(rc.rawValue))"), produced: produced)
            }
        }
        return produced
    }

    public func close() { upstream.close() }
}
