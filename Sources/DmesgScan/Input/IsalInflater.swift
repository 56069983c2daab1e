import CIsal

/// Intel ISA-L's inflate (igzip) for gzip members.
final class IsalInflater: BufferedInflater {
    let state: UnsafeMutablePointer<inflate_state>

    init() {
        state = UnsafeMutablePointer<inflate_state>.allocate(capacity: 1)
        isal_inflate_init(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    deinit { state.deallocate() }

    func inflate() -> InflateStep {
        let rc = isal_inflate(state)
        if rc < 0 { return .failed(IsalInflater.message(rc)) }
        // Other results (a dictionary asked for, header fields too long) need what gzip input
        // does not have.
        if rc != ISAL_DECOMP_OK && rc != ISAL_END_INPUT && rc != ISAL_OUT_OVERFLOW { return .failed("ISA-L inflate result \(rc)") }
        return state.pointee.block_state == ISAL_BLOCK_FINISH ? .memberEnd : .progress
    }

    func startMember() {
        isal_inflate_reset(state)
        state.pointee.crc_flag = UInt32(ISAL_GZIP)
    }

    static func message(_ rc: Int32) -> String {
        switch rc {
        case ISAL_INVALID_BLOCK: return "invalid deflate block"
        case ISAL_INVALID_SYMBOL: return "invalid deflate symbol"
        case ISAL_INVALID_LOOKBACK: return "invalid distance too far back"
        case ISAL_INVALID_WRAPPER: return "invalid gzip header"
        case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method"
        case ISAL_INCORRECT_CHECKSUM: return "incorrect data check (CRC-32 or length)"
        default: return "ISA-L inflate error \(rc)"
        }
    }
}
