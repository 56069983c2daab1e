import CZlib

/// zlib's `inflate`, for gzip or zlib-wrapped members.
final class ZlibInflater: Inflater {
    private let stream: UnsafeMutablePointer<z_stream>

    init() {
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 32: accept gzip or zlib headers.
        _ = czlib_inflate_init2(stream, 15 + 32)
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    var nextIn: UnsafeMutablePointer<UInt8>? { stream.pointee.next_in }
    var availableIn: Int { Int(stream.pointee.avail_in) }
    var availableOut: Int { Int(stream.pointee.avail_out) }

    func setInput(_ start: UnsafeMutablePointer<UInt8>, count: Int) {
        stream.pointee.next_in = start
        stream.pointee.avail_in = UInt32(count)
    }

    func setOutput(_ buffer: UnsafeMutableRawBufferPointer) {
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
    }

    func inflate() -> InflateStep {
        let rc = CZlib.inflate(stream, Z_NO_FLUSH)
        switch rc {
        case Z_STREAM_END: return .memberEnd
        case Z_OK: return .progress
        case Z_BUF_ERROR: return stream.pointee.avail_in == 0 ? .progress : .stuck
        default: return .failed(stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)")
        }
    }

    func startMember() { inflateReset(stream) }
}
