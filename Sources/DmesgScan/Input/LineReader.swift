/// Splits a byte stream into lines, handed out as borrowed byte slices.
///
/// One reused buffer; a partial line is moved to the front before the next read. `\n`
/// ends a line and a trailing `\r` is dropped; an input whose first line break is a `\r`
/// with no `\n` anywhere in that read (old serial consoles) is split at `\r`. A line longer than `maxLineLength` is cut
/// there (the rest up to its newline is skipped), so memory stays bounded.
public struct LineReader {
    public var maxLineLength: Int
    public var bufferSize: Int

    public init(bufferSize: Int = 1 << 20, maxLineLength: Int = 64 * 1024) {
        self.bufferSize = max(bufferSize, maxLineLength * 2)
        self.maxLineLength = maxLineLength
    }

    public struct Summary: Sendable {
        public var lines = 0
        public var bytes = 0
        public var cutLines = 0
        public var error: InputError?
    }

    /// Reads `source` to its end (or first error), calling `body` with each line and its
    /// 1-based number. Lines before an error are all delivered, including a last partial one.
    ///
    /// `emptyRun`, when given, is offered each run of two or more empty lines (`\n\n…`) as
    /// its first line number and count: when it takes the run (returns true) the lines are
    /// not handed to `body` one by one. A file padded with a gigabyte of newlines then costs
    /// a byte compare per eight bytes.
    public func forEachLine(
        of source: inout some ByteSource,
        emptyRun: ((Int, Int) -> Bool)? = nil,
        _ body: (UnsafeRawBufferPointer, Int) -> Void
    ) -> Summary {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        // One buffer for every read: the partial line moves to its front.
        return forEachLine(of: &source, regions: { carry in
            if carry.count > 0 { buffer.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carry.count) }
            return buffer
        }, emptyRun: emptyRun, body)
    }

    /// `forEachLine`, reading into regions the caller owns, so that the lines handed out stay
    /// where they are after `body` returns (the read-ahead thread's batches hold them so,
    /// with no copy). `regions` is called before each read with the partial line the last
    /// read ended in (empty at first), which the region it returns must start with; the
    /// lines of earlier regions are not touched again. A region has room for at least one
    /// byte past the carried part, and for `maxLineLength` bytes with it.
    public func forEachLine(
        of source: inout some ByteSource,
        regions nextRegion: (_ carry: UnsafeRawBufferPointer) -> UnsafeMutableRawBufferPointer,
        emptyRun: ((Int, Int) -> Bool)? = nil,
        _ body: (UnsafeRawBufferPointer, Int) -> Void
    ) -> Summary {
        var summary = Summary()
        var region = nextRegion(UnsafeRawBufferPointer(start: nil, count: 0))
        var filled = 0
        var skippingRestOfLongLine = false
        var separator: Int32? = nil  // decided by the first read that holds a line break

        func emit(_ base: UnsafeMutableRawPointer, _ start: Int, _ end: Int) {
            var stop = end
            if stop > start && base.load(fromByteOffset: stop - 1, as: UInt8.self) == 0x0D { stop -= 1 }
            // Cut whether or not the line happened to fit in one read.
            if stop - start > maxLineLength {
                stop = start + maxLineLength
                summary.cutLines += 1
            }
            summary.lines += 1
            body(UnsafeRawBufferPointer(start: base + start, count: stop - start), summary.lines)
        }

        while true {
            let base = region.baseAddress!
            let n: Int
            do throws(InputError) {
                n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: region[filled...]))
            } catch {
                summary.error = error
                n = 0
            }
            if n == 0 {
                if filled > 0 && !skippingRestOfLongLine { emit(base, 0, filled) }
                return summary
            }
            summary.bytes += n
            let end = filled + n
            if separator == nil {
                if memchr(base + filled, 0x0A, n) != nil {
                    separator = 0x0A
                } else if let cr = memchr(base + filled, 0x0D, n), UnsafeRawPointer(cr) - UnsafeRawPointer(base) < end - 1 {
                    // A `\r` with more text after it in the same read: not half of a `\r\n`.
                    separator = 0x0D
                }
            }
            let lineBreak = separator ?? 0x0A
            var lineStart = 0
            var scan = filled
            var refusedRunEnd = 0  // a run emptyRun refused is not offered again line by line
            while scan < end {
                if let emptyRun, lineBreak == 0x0A, !skippingRestOfLongLine, scan == lineStart, lineStart >= refusedRunEnd,
                   base.load(fromByteOffset: lineStart, as: UInt8.self) == 0x0A {
                    let count = LineReader.newlineRun(base + lineStart, end - lineStart)
                    if count >= 2 {
                        if emptyRun(summary.lines + 1, count) {
                            summary.lines += count
                            lineStart += count
                            scan = lineStart
                            continue
                        }
                        refusedRunEnd = lineStart + count
                    }
                }
                guard let hit = memchr(base + scan, lineBreak, end - scan) else { break }
                let newline = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if skippingRestOfLongLine {
                    skippingRestOfLongLine = false
                } else {
                    emit(base, lineStart, newline)
                }
                lineStart = newline + 1
                scan = lineStart
            }
            let tail = end - lineStart
            if !skippingRestOfLongLine && tail > maxLineLength {
                // Deliver the first maxLineLength bytes now; drop the rest of this line.
                summary.cutLines += 1
                summary.lines += 1
                body(UnsafeRawBufferPointer(start: base + lineStart, count: maxLineLength), summary.lines)
                skippingRestOfLongLine = true
            }
            let carry = skippingRestOfLongLine ? 0 : tail
            region = nextRegion(UnsafeRawBufferPointer(start: base + lineStart, count: carry))
            filled = carry
        }
    }

    /// How many `\n` bytes `start` begins with, eight at a time.
    @inline(__always) static func newlineRun(_ start: UnsafeMutableRawPointer, _ count: Int) -> Int {
        var n = 0
        while n + 8 <= count && start.loadUnaligned(fromByteOffset: n, as: UInt64.self) == 0x0A0A_0A0A_0A0A_0A0A { n += 8 }
        while n < count && start.load(fromByteOffset: n, as: UInt8.self) == 0x0A { n += 1 }
        return n
    }
}

#if canImport(Glibc)
import Glibc
#endif
