import CZlib

/// zlib's `inflate`, for gzip or zlib-wrapped members.
final class ZlibInflater: BufferedInflater {
    let state: UnsafeMutablePointer<z_stream>

    init() {
        state = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        state.initialize(to: z_stream())
        // 15 + 32: accept gzip or zlib headers.
        _ = czlib_inflate_init2(state, 15 + 32)
    }

    deinit {
        inflateEnd(state)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    func inflate() -> InflateStep {
        let rc = CZlib.inflate(state, Z_NO_FLUSH)
        switch rc {
        case Z_STREAM_END: return .memberEnd
        case Z_OK: return .progress
        case Z_BUF_ERROR: return state.pointee.avail_in == 0 ? .progress : .stuck
        default: return .failed(state.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)")
        }
    }

    func startMember() { inflateReset(state) }
}
