import CLz4

/// lz4 frames through liblz4; after a frame ends the next one may start.
struct Lz4Decoder: StreamDecoder {
    static let format = "lz4"
    private var context: OpaquePointer?

    init() { _ = LZ4F_createDecompressionContext(&context, clz4_version()) }

    func release() { _ = LZ4F_freeDecompressionContext(context) }

    mutating func step(_ input: inout UnsafeRawBufferPointer, _ output: inout UnsafeMutableRawBufferPointer) -> DecodeStep {
        guard let context else { return .failed(.corrupt, "liblz4 cannot start a frame") }
        var outSize = output.count
        var inSize = input.count
        let rc = LZ4F_decompress(context, output.baseAddress, &outSize, input.baseAddress, &inSize, nil)
        input = UnsafeRawBufferPointer(rebasing: input[inSize...])
        output = UnsafeMutableRawBufferPointer(rebasing: output[outSize...])
        if LZ4F_isError(rc) != 0 {
            let name = LZ4F_getErrorName(rc).map { String(cString: $0) } ?? "error \(rc)"
            return .failed(.corrupt, "lz4: \(name)")
        }
        return rc == 0 ? .ended : .more
    }
}
