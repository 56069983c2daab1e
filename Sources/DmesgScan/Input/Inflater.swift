import CIsal
import CZlib

/// One deflate decoder under `GzipSource`, which keeps the member, padding and garbage
/// rules, and the offsets, the same whichever decoder runs.
protocol Inflater: AnyObject {
    /// The compressed bytes not yet taken by the decoder.
    var nextIn: UnsafeMutablePointer<UInt8>? { get }
    var availableIn: Int { get }
    func setInput(_ start: UnsafeMutablePointer<UInt8>, count: Int)
    func setOutput(_ buffer: UnsafeMutableRawBufferPointer)
    /// Room left in the output set last.
    var availableOut: Int { get }
    /// Decodes as far as input and output allow.
    func inflate() -> InflateStep
    /// Gets ready for the next member, after `.memberEnd`.
    func startMember()
}

enum InflateStep {
    /// Bytes were taken or produced, or more input is needed.
    case progress
    /// The member and its trailer are complete (its checksum held).
    case memberEnd
    /// Input is left but nothing can be decoded from it.
    case stuck
    case failed(String)
}

/// Which deflate decoder reads gzip input.
public enum InflaterKind: String, Sendable, CaseIterable {
    /// Intel ISA-L (igzip), the default: about 2.3 times faster than zlib on x86-64.
    case isal
    /// zlib's `inflate`: the reference the benchmark compares against.
    case zlib

    func make() -> any Inflater {
        switch self {
        case .isal: return IsalInflater()
        case .zlib: return ZlibInflater()
        }
    }
}

/// The input and output fields zlib's `z_stream` and ISA-L's `inflate_state` share.
protocol InflateBuffers {
    var next_in: UnsafeMutablePointer<UInt8>! { get set }
    var avail_in: UInt32 { get set }
    var next_out: UnsafeMutablePointer<UInt8>! { get set }
    var avail_out: UInt32 { get set }
}

extension z_stream: InflateBuffers {}
extension inflate_state: InflateBuffers {}

/// A decoder whose state is one of those structs: the buffer handling is the same.
protocol BufferedInflater: Inflater {
    associatedtype State: InflateBuffers
    var state: UnsafeMutablePointer<State> { get }
}

extension BufferedInflater {
    var nextIn: UnsafeMutablePointer<UInt8>? { state.pointee.next_in }
    var availableIn: Int { Int(state.pointee.avail_in) }
    var availableOut: Int { Int(state.pointee.avail_out) }

    func setInput(_ start: UnsafeMutablePointer<UInt8>, count: Int) {
        state.pointee.next_in = start
        state.pointee.avail_in = UInt32(count)
    }

    func setOutput(_ buffer: UnsafeMutableRawBufferPointer) {
        state.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        state.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
    }
}
