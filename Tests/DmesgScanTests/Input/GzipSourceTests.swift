import DmesgScan
import Testing

@Suite("Input: gzip and line reading")
struct GzipSourceTests {
    let text = (0..<5000).map { "[    0.\(100000 + $0)] line \($0)\n" }.joined()

    @Test func plainAndGzipGiveTheSameLines() {
        let plain = TestSupport.scan(text)
        let gz = TestSupport.scanBytes(TestSupport.gzip(Array(text.utf8)), name: "input.log.gz")
        #expect(plain.status == .ok && gz.status == .ok)
        #expect(plain.lines == 5000 && gz.lines == 5000)
        #expect(plain.bytes == gz.bytes)
    }

    @Test func multiMemberGzipIsReadToTheEnd() {
        let a = TestSupport.gzip(Array("[    0.000001] first member\n".utf8))
        let b = TestSupport.gzip(Array(text.utf8))
        let empty = TestSupport.gzip([])
        let result = TestSupport.scanBytes(a + empty + b, name: "multi.gz")
        #expect(result.status == .ok)
        #expect(result.lines == 5001)
    }

    @Test(arguments: [0.1, 0.5, 0.9])
    func truncatedGzipKeepsWhatCameBeforeAndNamesTheOffset(fraction: Double) {
        let gz = TestSupport.gzip(Array(text.utf8))
        let cut = Int(Double(gz.count) * fraction)
        let result = TestSupport.scanBytes(Array(gz[0..<cut]), name: "cut.gz")
        #expect(result.status == .partial || (result.status == .error && result.lines == 0))
        #expect(result.error?.kind == .truncated)
        #expect(result.error?.offset == cut)
        // Every complete line decoded before the cut is there, in order.
        #expect(result.lines > 0 || fraction < 0.2)
        #expect(result.error.map { "\($0)" }?.contains("byte \(cut)") == true)
    }

    @Test func corruptDataIsReportedWithOffset() {
        var gz = TestSupport.gzip(Array(text.utf8))
        for i in (gz.count / 2)..<(gz.count / 2 + 16) { gz[i] ^= 0x5A }
        let result = TestSupport.scanBytes(gz, name: "corrupt.gz")
        #expect(result.error?.kind == .corrupt)
        #expect(result.status == .partial)
        #expect((result.error?.offset ?? 0) > 0)
    }

    @Test func trailingGarbageIsAnErrorAfterAllData() {
        let gz = TestSupport.gzip(Array(text.utf8)) + Array("not gzip at all".utf8)
        let result = TestSupport.scanBytes(gz, name: "garbage.gz")
        #expect(result.lines == 5000)
        #expect(result.error?.kind == .trailingGarbage)
    }

    @Test func zeroPaddingAfterAMemberIsIgnored() {
        let gz = TestSupport.gzip(Array(text.utf8)) + [UInt8](repeating: 0, count: 512)
        let result = TestSupport.scanBytes(gz, name: "padded.gz")
        #expect(result.status == .ok && result.lines == 5000)
    }

    @Test func emptyInputsAreOkWithNoBoots() {
        #expect(TestSupport.scanBytes([], name: "empty.log").status == .ok)
        let gz = TestSupport.scanBytes(TestSupport.gzip([]), name: "empty.gz")
        #expect(gz.status == .ok && gz.lines == 0 && gz.boots.isEmpty)
    }

    @Test func missingFileIsAnErrorNotACrash() {
        let result = InputScanner(rules: TestSupport.ruleSet()).scan(.file("/nonexistent/dmesg.log"))
        #expect(result.status == .error)
        #expect(result.error?.kind == .open)
    }
}

@Suite("Input: line splitting")
struct LineReaderTests {
    final class ChunkedSource: ByteSource {
        let bytes: [UInt8]
        let chunk: Int
        var position = 0
        init(_ bytes: [UInt8], chunk: Int) {
            self.bytes = bytes
            self.chunk = chunk
        }
        var consumedBytes: Int { position }
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
            let n = min(chunk, buffer.count, bytes.count - position)
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + position, byteCount: n) }
            position += n
            return n
        }
        func close() {}
    }

    func lines(_ text: String, chunk: Int, reader: LineReader = LineReader(bufferSize: 64, maxLineLength: 16)) -> [String] {
        var source = ChunkedSource(Array(text.utf8), chunk: chunk)
        var out: [String] = []
        _ = reader.forEachLine(of: &source) { line, number in
            out.append("\(number):" + String(decoding: line, as: UTF8.self))
        }
        return out
    }

    @Test(arguments: [1, 3, 7, 64])
    func linesSurviveAnyChunking(chunk: Int) {
        #expect(lines("a\nbb\r\n\nccc", chunk: chunk) == ["1:a", "2:bb", "3:", "4:ccc"])
    }

    @Test func overlongLineIsCutAndCounted() {
        let long = String(repeating: "x", count: 100)
        let result = lines("a\n\(long)\nb\n", chunk: 5)
        #expect(result == ["1:a", "2:" + String(repeating: "x", count: 16), "3:b"])
    }

    /// A line past `maxLineLength` is cut and counted whether it lies inside one read or
    /// across two (the read-ahead thread reads in other sizes than one thread does).
    @Test(arguments: [1, 5, 20, 64])
    func overlongLinesAreCutAlikeWhateverTheReads(chunk: Int) {
        let text = Array("a\n\(String(repeating: "x", count: 17))\nb\n\(String(repeating: "y", count: 30))\r\n\(String(repeating: "z", count: 16))\n".utf8)
        var source = ChunkedSource(text, chunk: chunk)
        var out: [String] = []
        let summary = LineReader(bufferSize: 64, maxLineLength: 16).forEachLine(of: &source) { line, number in
            out.append("\(number):" + String(decoding: line, as: UTF8.self))
        }
        let x = String(repeating: "x", count: 16), y = String(repeating: "y", count: 16), z = String(repeating: "z", count: 16)
        #expect(out == ["1:a", "2:" + x, "3:b", "4:" + y, "5:" + z])
        #expect(summary.cutLines == 2 && summary.lines == 5)
    }

    /// Reading into regions the caller owns: every line handed out is still intact once the
    /// whole input is read, and each region starts with the partial line carried to it.
    @Test(arguments: [3, 7, 64])
    func linesStayInTheRegionsTheyWereReadInto(chunk: Int) {
        let text = (1...200).map { "line \($0) " + String(repeating: "p", count: $0 % 23) }.joined(separator: "\n")
        var source = ChunkedSource(Array(text.utf8), chunk: chunk)
        var regions: [UnsafeMutableRawBufferPointer] = []
        defer { for region in regions { region.deallocate() } }
        var kept: [UnsafeRawBufferPointer] = []
        let summary = LineReader(bufferSize: 64, maxLineLength: 32).forEachLine(of: &source, regions: { carry in
            let region = UnsafeMutableRawBufferPointer.allocate(byteCount: carry.count + 40, alignment: 1)
            if carry.count > 0 { region.baseAddress!.copyMemory(from: carry.baseAddress!, byteCount: carry.count) }
            regions.append(region)
            return region
        }) { line, _ in kept.append(line) }
        let read = kept.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        #expect(read == text)
        #expect(summary.lines == 200 && summary.cutLines == 0)
    }
}

/// Scans inflate with ISA-L; zlib is the reference. Both must give the same bytes and the
/// same errors at the same offsets, and fail on damage. (Arrays are compared by a Bool:
/// a failed expectation would print every byte.)
@Suite("Input: ISA-L and zlib inflate alike")
struct InflaterAgreementTests {
    let text = Array((0..<20000).map { "[ \(Double($0) / 997)] usb \($0 % 7)-1: line \($0 * 7919 % 10007)\n" }.joined().utf8)

    func decode(_ bytes: [UInt8], _ kind: InflaterKind, chunk: Int = 4096) -> (bytes: [UInt8], error: InputError?) {
        let source = GzipSource(upstream: MemorySource(bytes, chunk: chunk), inflater: kind)
        defer { source.close() }
        var out: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 3000, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            do throws(InputError) {
                let n = try source.read(into: buffer)
                if n == 0 { return (out, nil) }
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            } catch {
                return (out, error)
            }
        }
    }

    @Test(arguments: [1, 61, 65536])
    func membersPaddingAndAnyChunking(chunk: Int) {
        let half = text.count / 2
        let gz = TestSupport.gzip(Array(text[..<half])) + TestSupport.gzip([]) + TestSupport.gzip(Array(text[half...])) + [0, 0, 0]
        for kind in InflaterKind.allCases {
            let result = decode(gz, kind, chunk: chunk)
            let same = result.bytes == text
            #expect(result.error == nil && same, "\(kind): \(result.bytes.count) bytes, \(String(describing: result.error))")
        }
    }

    /// At a cut, ISA-L may stop one symbol short of zlib (up to a match of 258 bytes): it
    /// does not decode a last code whose lookahead bits are missing.
    @Test func everyCutIsTruncationAtItsOffsetAfterTheSameBytes() {
        let gz = TestSupport.gzip(text)
        var shortBy: [Int] = []
        for cut in stride(from: 1, to: gz.count, by: max(1, gz.count / 41)) {
            let zlib = decode(Array(gz[..<cut]), .zlib)
            let isal = decode(Array(gz[..<cut]), .isal)
            #expect(isal.error?.kind == .truncated && zlib.error?.kind == .truncated, "cut at \(cut)")
            #expect(isal.error?.offset == cut && zlib.error?.offset == cut, "cut at \(cut)")
            let isPrefix = isal.bytes.count <= zlib.bytes.count && zlib.bytes.starts(with: isal.bytes)
            #expect(isPrefix && zlib.bytes.count - isal.bytes.count <= 258,
                    "cut at \(cut): \(isal.bytes.count) bytes from ISA-L, \(zlib.bytes.count) from zlib")
            shortBy.append(zlib.bytes.count - isal.bytes.count)
        }
        print("measured: at \(shortBy.count) cuts ISA-L gave the bytes zlib gave, short by at most \(shortBy.max() ?? 0) (\(shortBy.filter { $0 > 0 }.count) cuts short)")
    }

    @Test func damageIsAnErrorAndTheBytesBeforeItAgree() {
        let gz = TestSupport.gzip(text)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for round in 0..<60 {
            var damaged = gz
            // A byte past the 10-byte header, changed (xorshift, so the test is the same each run).
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            let at = 10 + Int(seed % UInt64(gz.count - 10))
            damaged[at] ^= UInt8(truncatingIfNeeded: seed >> 32) | 1
            let zlib = decode(damaged, .zlib)
            let isal = decode(damaged, .isal)
            #expect(zlib.error != nil && isal.error != nil, "round \(round), byte \(at)")
            let common = min(zlib.bytes.count, isal.bytes.count)
            let agree = zlib.bytes[..<common] == isal.bytes[..<common]
            #expect(agree, "round \(round), byte \(at)")
        }
    }

    @Test func aBadChecksumInTheTrailerIsDamageNotTruncation() {
        let gz = TestSupport.gzip(text)
        for at in [gz.count - 8, gz.count - 1] {  // the CRC-32, the length
            var damaged = gz
            damaged[at] ^= 0x40
            for kind in InflaterKind.allCases {
                let result = decode(damaged, kind)
                let same = result.bytes == text
                #expect(result.error?.kind == .corrupt && same, "\(kind), byte \(at): \(String(describing: result.error))")
            }
        }
    }

    @Test func garbageAfterAMemberIsNamedAtTheSameOffset() {
        let gz = TestSupport.gzip(text)
        for kind in InflaterKind.allCases {
            let result = decode(gz + Array("not gzip".utf8), kind)
            let same = result.bytes == text
            #expect(same, "\(kind)")
            #expect(result.error?.kind == .trailingGarbage && result.error?.offset == gz.count, "\(kind)")
        }
    }
}
