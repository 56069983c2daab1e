@testable import DmesgScan
import Testing

@Suite("Support: JSON read one value at a time")
struct JSONValueStreamTests {
    /// A stream over `text` that hands out `step` bytes per read, so values span reads.
    func stream(_ text: String, step: Int) -> JSONValueStream {
        let bytes = Array(text.utf8)
        var at = 0
        return JSONValueStream { buffer in
            let end = min(at + step, bytes.count)
            buffer.append(contentsOf: bytes[at..<end])
            at = end
            return true
        }
    }

    @Test(arguments: [1, 2, 3, 7, 4096])
    func valuesAreCutWhereTheyEndWhateverTheReads(step: Int) {
        let document = #"{ "a" : [1, {"b": "x\"]}\\"}, -2.5e3, true, null] , "c":"\u00e9" }"#
        var reader = stream(document, step: step)
        var opened = reader.expect(UInt8(ascii: "{"))
        let key = reader.value().map { String(decoding: $0, as: UTF8.self) }
        opened = opened && reader.expect(UInt8(ascii: ":")) && reader.expect(UInt8(ascii: "["))
        #expect(opened && key == #""a""#)
        var items: [String] = []
        repeat {
            guard let raw = reader.value() else { break }
            items.append(String(decoding: raw, as: UTF8.self))
        } while reader.expect(UInt8(ascii: ","))
        #expect(items == ["1", #"{"b": "x\"]}\\"}"#, "-2.5e3", "true", "null"])
        var rest = reader.expect(UInt8(ascii: "]")) && reader.expect(UInt8(ascii: ","))
        rest = rest && reader.value() != nil && reader.expect(UInt8(ascii: ":"))
        let last = reader.value().flatMap(JSONParser.parse)
        rest = rest && reader.expect(UInt8(ascii: "}")) && reader.peek() == nil
        #expect(rest && last == .string("é"))
        #expect(reader.offset == document.utf8.count)
    }

    @Test func aCutValueIsNoValue() {
        for cut in [#"{"a": [1, 2"#, #""open"#, #"{"a": "\"#] {
            var reader = stream(cut, step: 3)
            if cut.hasPrefix("{") { _ = reader.expect(UInt8(ascii: "{")) }
            var last: [UInt8]?
            repeat { last = reader.value() } while last != nil && (reader.expect(UInt8(ascii: ":")) || reader.expect(UInt8(ascii: ",")))
            #expect(last == nil, "\(cut)")
        }
        // A number may end the document.
        var number = stream("42", step: 1)
        let value = number.value()
        #expect(value == Array("42".utf8))
    }

    @Test func aFailedReadIsTold() {
        var reader = JSONValueStream { _ in false }
        let value = reader.value()
        #expect(value == nil && reader.readFailed)
    }
}
