/// A stream of bytes read in chunks. `read` returns 0 at the end of the stream.
///
/// Sources defer their errors: bytes decoded before damage are returned first, and
/// the error is thrown by the next call, so nothing read before the damage is lost.
public protocol ByteSource {
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// Bytes consumed from the underlying file or pipe so far (compressed bytes for gzip).
    var consumedBytes: Int { get }
    mutating func close()
    /// Calls `handler` whenever no data has arrived for `seconds` (live streams only).
    mutating func setIdleHandler(after seconds: Double, _ handler: @escaping () -> Void)
}

extension ByteSource {
    /// Files and decoders never wait for data, so they have nothing to report.
    public mutating func setIdleHandler(after seconds: Double, _ handler: @escaping () -> Void) {}
}

/// A `ByteSource` of any concrete type, for generic wrappers.
public struct AnyByteSource: ByteSource {
    public var base: any ByteSource
    public init(_ base: any ByteSource) { self.base = base }
    public var consumedBytes: Int { base.consumedBytes }
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int { try base.read(into: buffer) }
    public mutating func close() { base.close() }
    public mutating func setIdleHandler(after seconds: Double, _ handler: @escaping () -> Void) { base.setIdleHandler(after: seconds, handler) }
}
