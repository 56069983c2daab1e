@testable import DmesgScan
import Testing

@Suite("Support: eight bytes at once")
struct ByteWordTests {
    func word(_ text: String) -> UInt64 {
        let bytes = Array(text.utf8)
        precondition(bytes.count == 8)
        return bytes.withUnsafeBufferPointer { ByteWord.load($0.baseAddress!, at: 0) }
    }

    @Test func equalMaskMarksExactlyTheEqualBytes() {
        // Every byte value against every place: the mask has 0x80 only where they are equal,
        // also next to bytes that would carry in the usual has-zero test (0x00, 0x80, 0xFF).
        for value in UInt8.min...UInt8.max {
            for place in 0..<8 {
                var bytes: [UInt8] = [0x00, 0x80, 0xFF, 0x21, 0x1F, 0x7F, 0x01, 0x20]
                bytes[place] = value
                let w = bytes.withUnsafeBufferPointer { ByteWord.load($0.baseAddress!, at: 0) }
                let mask = ByteWord.equalMask(w, 0x20)
                for k in 0..<8 {
                    #expect((mask >> (8 * k + 7)) & 1 == (bytes[k] == 0x20 ? 1 : 0))
                    #expect((mask >> (8 * k)) & 0x7F == 0)
                }
            }
        }
    }

    @Test func digitsAreReadMostSignificantFirst() {
        #expect(ByteWord.allDigits(word("12345678")))
        #expect(ByteWord.digitsValue(word("12345678")) == 12_345_678)
        #expect(ByteWord.digitsValue(word("00000000")) == 0)
        #expect(ByteWord.digitsValue(word("99999999")) == 99_999_999)
        #expect(ByteWord.digitsValue(word("00004096")) == 4096)
        for bad in ["1234567 ", "/2345678", ":2345678", "1234567a", "12.45678"] {
            #expect(!ByteWord.allDigits(word(bad)), "\(bad)")
        }
    }
}
