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
}
