import CZlib

/// Decodes gzip (and zlib) data from another source with zlib's `inflate`.
///
/// Concatenated members (`cat a.gz b.gz`) are decoded one after another; an all-zero tail
/// is ignored as gzip does. Truncation, corruption and trailing garbage are reported with
/// the byte offset in the compressed input, after every byte decoded before them.
public final class GzipSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private var inputCount = 0
    private var upstreamEnded = false
    private var memberOpen = false
    private var state = DeferredError()
    /// Compressed bytes consumed before the data now in `input`.
    private var inputBase = 0

    public init(upstream: Upstream, inputChunk: Int = 256 * 1024) {
        self.upstream = upstream
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputChunk, alignment: 16)
        // 15 + 32: accept gzip or zlib headers.
        _ = czlib_inflate_init2(stream, 15 + 32)
    }

    public var consumedBytes: Int { upstream.consumedBytes }

    /// Offset in the compressed input of the next byte zlib will read.
    private var position: Int { inputBase + (inputCount - Int(stream.pointee.avail_in)) }

    private func refill() throws(InputError) {
        let unread = Int(stream.pointee.avail_in)
        if unread > 0, let next = stream.pointee.next_in {
            let start = UnsafeMutableRawPointer(next)
            if start != input.baseAddress! { input.baseAddress!.copyMemory(from: start, byteCount: unread) }
        }
        inputBase += inputCount - unread
        inputCount = unread
        let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: input[unread...]))
        if n == 0 { upstreamEnded = true }
        inputCount += n
        stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(inputCount)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if try state.check() { return 0 }
        let capacity = min(buffer.count, Int(UInt32.max))
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(capacity)
        var produced: Int { capacity - Int(stream.pointee.avail_out) }

        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0 {
                if upstreamEnded {
                    if memberOpen { return try state.fail(InputError(.truncated, offset: position, "unexpected end of input inside a gzip member"), produced: produced) }
                    state.finish()
                    return produced
                }
                do throws(InputError) { try refill() } catch { return try state.fail(error, produced: produced) }
                continue
            }
            if !memberOpen {
                // Between members: skip zero padding, reject anything that is not a new member.
                if let garbage = skipPaddingOrDetectGarbage() {
                    return try state.fail(garbage, produced: produced)
                }
                if stream.pointee.avail_in == 0 { continue }
                memberOpen = true
            }
            let rc = inflate(stream, Z_NO_FLUSH)
            switch rc {
            case Z_STREAM_END:
                memberOpen = false
                inflateReset(stream)
            case Z_OK:
                break
            case Z_BUF_ERROR:
                // No progress possible: more input is needed.
                if stream.pointee.avail_in == 0 { continue }
                return try state.fail(InputError(.corrupt, offset: position, "no progress"), produced: produced)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                return try state.fail(InputError(.corrupt, offset: position, message), produced: produced)
            }
        }
        return produced
    }

    /// Returns an error when the bytes after a member are neither zeros nor a gzip header.
    private func skipPaddingOrDetectGarbage() -> InputError? {
        let next = stream.pointee.next_in!
        let available = Int(stream.pointee.avail_in)
        var i = 0
        while i < available && next[i] == 0 { i += 1 }
        if i > 0 {
            stream.pointee.next_in = next + i
            stream.pointee.avail_in -= UInt32(i)
            return nil
        }
        if next[0] != 0x1f || (available > 1 && next[1] != 0x8b) {
            // The first member may be zlib-wrapped; later ones must be gzip.
            if position > 0 {
                return InputError(.trailingGarbage, offset: position, "\(available) or more bytes that are not a gzip member")
            }
        }
        return nil
    }

    public func close() {
        upstream.close()
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        input.deallocate()
    }
}
