import CZlib

/// The first decompressed bytes of a gzip stream, to see whether it holds a tar archive.
enum GzipProbe {
    static func prefix(_ head: [UInt8]) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { inflateEnd(stream); stream.deallocate() }
        guard czlib_inflate_init2(stream, 15 + 32) == Z_OK else { return [] }
        var input = head
        var output = [UInt8](repeating: 0, count: 1024)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = UInt32(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = UInt32(outBuf.count)
                _ = inflate(stream, Z_SYNC_FLUSH)
                return outBuf.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<produced])
    }
}
