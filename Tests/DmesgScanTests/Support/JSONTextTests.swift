import DmesgScan
import Foundation
import Testing

/// JSON string escaping reads eight bytes at a time: it must escape exactly what a byte by
/// byte loop escapes, wherever in a word the byte falls, and be valid JSON for a parser.
@Suite("Support: JSON string escaping")
struct JSONTextTests {
    /// The plain loop, as the reference.
    func reference(_ text: String) -> [UInt8] {
        var out: [UInt8] = [0x22]
        for byte in text.utf8 {
            switch byte {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        return out + [0x22]
    }

    func escaped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        JSONText.escape(text, into: &out)
        return out
    }

    @Test func everyByteThatNeedsEscapingAtEveryOffset() throws {
        let special: [UInt8] = [0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x22, 0x5C, 0x7F]
        // Bytes next to them that must stay as they are: space, '!', '#', '[', ']', '~', UTF-8.
        let plain = Array("a !#[]~\u{e9}\u{4e2d}".utf8)
        for length in 0..<20 {
            for offset in 0..<max(length, 1) {
                for byte in special {
                    var bytes = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                    for i in bytes.indices { bytes[i] = plain[i % plain.count] < 0x80 ? plain[i % plain.count] : UInt8(ascii: "y") }
                    if length > 0 { bytes[offset] = byte }
                    let text = String(decoding: bytes, as: UTF8.self)
                    #expect(escaped(text) == reference(text), "\(bytes)")
                }
            }
        }
    }

    /// Timestamps: six decimals, rounded to the microsecond, a minus sign kept below one
    /// second, and Swift's own text where microseconds no longer fit.
    @Test(arguments: [
        (0.0, "0.000000"), (0.000001, "0.000001"), (12.00034, "12.000340"), (-0.5, "-0.500000"),
        (-0.0000004, "0.000000"), (99999.999999, "99999.999999"), (-1234.5678915, "-1234.567892"), (1e16, "1e+16"),
    ])
    func secondsText(value: Double, text: String) {
        var out: [UInt8] = []
        JSONText.seconds(value, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == text)
        #expect(JSONText.seconds(value) == text)
    }

    @Test func randomTextRoundTripsThroughAParser() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<100, using: &generator)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...0x7F, using: &generator) }
            let text = String(decoding: bytes, as: UTF8.self) + (Bool.random(using: &generator) ? "\u{e9}\u{4e2d}\u{1F600}" : "")
            let out = escaped(text)
            #expect(out == reference(text))
            let parsed = try JSONSerialization.jsonObject(with: Data(out), options: [.fragmentsAllowed]) as? String
            #expect(parsed == text)
        }
    }
}
