import DmesgScan
import Testing

/// A report's excerpt keeps its lines as bytes: each must read back as `String(decoding:)`
/// of the line would (invalid UTF-8 repaired the same way), and the JSON written from the
/// bytes must be the JSON of that String.
@Suite("Reports: excerpt lines kept as bytes")
struct ExcerptTests {
    static let lines: [[UInt8]] = [
        Array("[    1.000000] ------------[ cut here ]------------".utf8),
        [],
        Array("caf\u{e9} \u{4e2d} \"quoted\" \\ tab\there".utf8),
        [0x61, 0xC3, 0x28, 0x62],  // an invalid two-byte sequence
        [0xE2, 0x82],  // a three-byte sequence cut at the line's end
        [0x00, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x7F, 0xFF],
        Array(repeating: UInt8(ascii: "x"), count: 300),
    ]

    func excerpt() -> Excerpt {
        var excerpt = Excerpt()
        for (index, line) in ExcerptTests.lines.enumerated() {
            line.withUnsafeBytes { excerpt.append(line: 10 + index, bytes: $0) }
        }
        return excerpt
    }

    @Test func linesReadBackAsDecodedStrings() {
        let excerpt = excerpt()
        #expect(excerpt.count == ExcerptTests.lines.count)
        for (index, line) in ExcerptTests.lines.enumerated() {
            #expect(excerpt[index].line == 10 + index)
            #expect(excerpt[index].text == String(decoding: line, as: UTF8.self))
        }
        #expect(excerpt.map(\.text) == ExcerptTests.lines.map { String(decoding: $0, as: UTF8.self) })
    }

    @Test func builtFromStrings() {
        let texts = ExcerptTests.lines.map { String(decoding: $0, as: UTF8.self) }
        let fromStrings = Excerpt(texts.enumerated().map { (line: $0.offset + 10, text: $0.element) })
        #expect(fromStrings.map(\.text) == texts)
        #expect(fromStrings.map(\.line) == Array(10..<(10 + texts.count)))
        #expect(Excerpt(fromStrings.dropFirst(2)).map(\.text) == Array(texts.dropFirst(2)))
        let literal: Excerpt = [(line: 3, text: "a"), (line: 4, text: "b")]
        #expect(literal.map(\.text) == ["a", "b"])
        #expect(Excerpt().isEmpty)
    }

    @Test func jsonFromBytesIsTheJSONOfTheDecodedString() {
        let excerpt = excerpt()
        for index in excerpt.indices {
            var fromBytes: [UInt8] = []
            excerpt.withBytes(at: index) { JSONText.escape(utf8: $0, into: &fromBytes) }
            var fromString: [UInt8] = []
            JSONText.escape(excerpt[index].text, into: &fromString)
            #expect(fromBytes == fromString, "line \(index)")
        }
    }
}
