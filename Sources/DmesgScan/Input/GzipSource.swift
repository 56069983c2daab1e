/// Decodes gzip data from another source, with ISA-L's inflate (or zlib's, see `InflaterKind`).
///
/// Concatenated members (`cat a.gz b.gz`) are decoded one after another; an all-zero tail
/// is ignored as gzip does. Truncation, corruption and trailing garbage are reported with
/// the byte offset in the compressed input, after every byte decoded before them.
public final class GzipSource<Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private let inflater: any Inflater
    private let input: UnsafeMutableRawBufferPointer
    private var inputCount = 0
    private var upstreamEnded = false
    private var memberOpen = false
    private var state = DeferredError()
    /// Compressed bytes consumed before the data now in `input`.
    private var inputBase = 0

    public init(upstream: Upstream, inputChunk: Int = 256 * 1024, inflater kind: InflaterKind = .isal) {
        self.upstream = upstream
        inflater = kind.make()
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputChunk, alignment: 16)
    }

    public var consumedBytes: Int { upstream.consumedBytes }

    /// Offset in the compressed input of the next byte the decoder will read.
    private var position: Int { inputBase + (inputCount - inflater.availableIn) }

    private func refill() throws(InputError) {
        let unread = inflater.availableIn
        if unread > 0, let next = inflater.nextIn {
            let start = UnsafeMutableRawPointer(next)
            if start != input.baseAddress! { input.baseAddress!.copyMemory(from: start, byteCount: unread) }
        }
        inputBase += inputCount - unread
        inputCount = unread
        let n = try upstream.read(into: UnsafeMutableRawBufferPointer(rebasing: input[unread...]))
        if n == 0 { upstreamEnded = true }
        inputCount += n
        inflater.setInput(input.baseAddress!.assumingMemoryBound(to: UInt8.self), count: inputCount)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if try state.check() { return 0 }
        inflater.setOutput(buffer)
        let capacity = inflater.availableOut
        var produced: Int { capacity - inflater.availableOut }

        while inflater.availableOut > 0 {
            if inflater.availableIn == 0 {
                if upstreamEnded {
                    // A decoder may hold the last bytes it took; with no more input it finishes
                    // the member from them, or cannot.
                    if memberOpen {
                        switch drain() {
                        case .progressed: continue
                        case .stopped:
                            return try state.fail(InputError(.truncated, offset: position, "unexpected end of input inside a gzip member"), produced: produced)
                        case .failed(let message):
                            return try state.fail(InputError(.corrupt, offset: position, message), produced: produced)
                        }
                    }
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
                if inflater.availableIn == 0 { continue }
                memberOpen = true
            }
            let (inBefore, outBefore) = (inflater.availableIn, inflater.availableOut)
            switch inflater.inflate() {
            case .memberEnd:
                memberOpen = false
                inflater.startMember()
            case .progress where inflater.availableIn != inBefore || inflater.availableOut != outBefore:
                break
            case .progress, .stuck:
                return try state.fail(InputError(.corrupt, offset: position, "no progress"), produced: produced)
            case .failed(let message):
                return try state.fail(InputError(.corrupt, offset: position, message), produced: produced)
            }
        }
        return produced
    }

    private enum Drain {
        case progressed, stopped
        case failed(String)
    }

    /// At the end of input inside a member: whether the decoder still made progress (output,
    /// or the member's end) from what it holds, or found damage there (a bad checksum).
    private func drain() -> Drain {
        let room = inflater.availableOut
        switch inflater.inflate() {
        case .memberEnd:
            memberOpen = false
            inflater.startMember()
            return .progressed
        case .progress:
            return inflater.availableOut < room ? .progressed : .stopped
        case .stuck:
            return .stopped
        case .failed(let message):
            return .failed(message)
        }
    }

    /// Returns an error when the bytes after a member are neither zeros nor a gzip header.
    private func skipPaddingOrDetectGarbage() -> InputError? {
        let next = inflater.nextIn!
        let available = inflater.availableIn
        var i = 0
        while i < available && next[i] == 0 { i += 1 }
        if i > 0 {
            inflater.setInput(next + i, count: available - i)
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
        input.deallocate()
    }
}
