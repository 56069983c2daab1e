import CZstd

/// zstd through libzstd; concatenated frames are one stream to it.
struct ZstdDecoder: StreamDecoder {
    static let format = "zstd"
    private let context: OpaquePointer

    init() { context = ZSTD_createDCtx() }

    func release() { ZSTD_freeDCtx(context) }

    mutating func step(_ input: inout UnsafeRawBufferPointer, _ output: inout UnsafeMutableRawBufferPointer) -> DecodeStep {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let rc = ZSTD_decompressStream(context, &outBuffer, &inBuffer)
        input = UnsafeRawBufferPointer(rebasing: input[inBuffer.pos...])
        output = UnsafeMutableRawBufferPointer(rebasing: output[outBuffer.pos...])
        if ZSTD_isError(rc) != 0 {
            let name = ZSTD_getErrorName(rc).map { String(cString: $0) } ?? "error \(rc)"
            let kind: InputError.Kind = name.lowercased().contains("memory") ? .archive : .corrupt
            return .failed(kind, "zstd: \(name)")
        }
        // 0: a frame ended and everything it held is out.
        return rc == 0 ? .ended : .more
    }
}
