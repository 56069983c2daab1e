@testable import DmesgScan
import Testing

/// The JSON stream's byte buffer: it grows past its first capacity, a copy keeps its bytes
/// when the other one appends (copy on write), and JSON text onto it is the text onto a
/// byte array.
@Suite("Support: byte buffer")
struct ByteBufferTests {
    @Test func growsAndCopiesOnWrite() {
        var buffer = ByteBuffer(capacity: 4)
        let text = Array("a line longer than four bytes".utf8)
        text.withUnsafeBufferPointer { buffer.append(bytes: $0) }
        buffer.append(UInt8(ascii: "!"))
        var copy = buffer
        copy.append(UInt8(ascii: "?"))
        #expect(buffer.count == text.count + 1)
        #expect(copy.takeString() == "a line longer than four bytes!?")
        #expect(buffer.takeString() == "a line longer than four bytes!")
        #expect(buffer.takeString() == "")
    }

    @Test func jsonTextOntoTheBufferIsTheTextOntoAnArray() {
        let values = ["plain", "quote \" and \\ back", "tab\tnew\nline \u{1}", "ünïcödé", ""]
        var array: [UInt8] = []
        var buffer = ByteBuffer(capacity: 1)
        for value in values {
            JSONText.escape(value, into: &array)
            JSONText.escape(value, onto: &buffer)
        }
        for number in [0, 7, -12, 1_234_567, Int.min] {
            JSONText.integer(number, into: &array)
            JSONText.integer(number, onto: &buffer)
        }
        JSONText.seconds(12.00034, into: &array)
        JSONText.seconds(12.00034, onto: &buffer)
        #expect(buffer.takeString() == String(decoding: array, as: UTF8.self))
    }
}
