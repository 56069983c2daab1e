/// One step of a streaming decompressor: consume some of `input`, fill some of `output`.
protocol StreamDecoder {
    /// The format's name, for messages ("bzip2", "zstd", "lz4").
    static var format: String { get }
    /// `.ended` when a stream or frame ended exactly here (another may follow).
    mutating func step(_ input: inout UnsafeRawBufferPointer, _ output: inout UnsafeMutableRawBufferPointer) -> DecodeStep
    /// Frees the library's state; called once, when the source goes.
    func release()
}

enum DecodeStep {
    case more
    case ended
    case failed(InputError.Kind, String)
}

/// Decodes a compressed stream with the format's own library, so that on a truncated or
/// corrupt file every byte decoded before the damage is delivered first, then the error
/// (libarchive's filters drop what they buffered). Concatenated streams are read in turn;
/// bytes after the last one that start no stream are an error after the data.
final class DecodedSource<Decoder: StreamDecoder, Upstream: ByteSource>: ByteSource {
    private var upstream: Upstream
    private var decoder: Decoder
    private let buffer: UnsafeMutableRawBufferPointer
    private var input = UnsafeRawBufferPointer(start: nil, count: 0)
    private var upstreamEnded = false
    private var atBoundary = false
    private var readFromUpstream = 0
    private var state = DeferredError()

    init(decoder: Decoder, upstream: Upstream) {
        self.decoder = decoder
        self.upstream = upstream
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    }

    deinit {
        decoder.release()
        buffer.deallocate()
    }

    var consumedBytes: Int { upstream.consumedBytes }

    /// Offset in the compressed input of the next byte the decoder will read.
    private var position: Int { readFromUpstream - input.count }

    func read(into out: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if try state.check() { return 0 }
        var space = out
        var produced: Int { out.count - space.count }
        while space.count > 0 {
            if input.isEmpty && !upstreamEnded {
                let n: Int
                do throws(InputError) { n = try upstream.read(into: buffer) } catch { return try state.fail(error, produced: produced) }
                if n == 0 { upstreamEnded = true }
                readFromUpstream += n
                input = UnsafeRawBufferPointer(rebasing: buffer[..<n])
            }
            let before = (input.count, space.count)
            switch decoder.step(&input, &space) {
            case .failed(let kind, let message):
                return try state.fail(InputError(kind, offset: position, format: Decoder.format, message), produced: produced)
            case .ended:
                atBoundary = true
            case .more:
                if before != (input.count, space.count) { atBoundary = false }
            }
            if !input.isEmpty && before == (input.count, space.count) {
                // A decoder that takes nothing and gives nothing would spin forever.
                return try state.fail(InputError(.corrupt, offset: position, format: Decoder.format, "\(Decoder.format) decoder made no progress"), produced: produced)
            }
            if input.isEmpty && upstreamEnded && before == (input.count, space.count) {
                if atBoundary {
                    state.finish()
                    return produced
                }
                return try state.fail(InputError(.truncated, offset: position, format: Decoder.format, "unexpected end of input inside a \(Decoder.format) stream"), produced: produced)
            }
        }
        return produced
    }

    func close() { upstream.close() }
}
