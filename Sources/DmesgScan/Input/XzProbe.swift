import CLzma

/// The first decoded bytes of an .xz stream, to see whether it holds a tar archive.
enum XzProbe {
    static func prefix(_ head: [UInt8]) -> [UInt8] {
        var stream = clzma_stream_init()
        guard lzma_stream_decoder(&stream, UInt64.max, 0) == LZMA_OK else { return [] }
        defer { lzma_end(&stream) }
        var output = [UInt8](repeating: 0, count: 1024)
        let produced = head.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = inBuf.baseAddress
                stream.avail_in = inBuf.count
                stream.next_out = outBuf.baseAddress
                stream.avail_out = outBuf.count
                _ = lzma_code(&stream, LZMA_RUN)
                return outBuf.count - stream.avail_out
            }
        }
        return Array(output[0..<produced])
    }
}
