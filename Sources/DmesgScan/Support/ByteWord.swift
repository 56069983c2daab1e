/// Eight bytes read as one little-endian UInt64 and tested or converted all at once (SWAR):
/// the per-line parsers read a printk time and a first word this way, as a loop byte by byte
/// was the top cost in profiles of plain logs. The first byte in memory is the lowest byte.
enum ByteWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    @inline(__always) static func load(_ base: UnsafePointer<UInt8>, at offset: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
    }

    /// 0x80 in each byte of `word` that equals `byte`, 0 in the others. Exact (no carry
    /// crosses a byte), unlike the usual has-zero test, so any byte of the mask can be read.
    @inline(__always) static func equalMask(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let v = word ^ (ones &* UInt64(byte))
        return ~((((v & ~highs) &+ ~highs) | v)) & highs
    }

    /// The usual has-zero test for `byte`: 0x80 in the first byte of `word` (the lowest)
    /// that equals `byte`, and maybe in bytes above it (a borrow carries up). Cheaper than
    /// `equalMask` where only the first match is read (its lowest set bit).
    @inline(__always) static func firstEqualMask(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let v = word ^ (ones &* UInt64(byte))
        return (v &- ones) & ~v & highs
    }

    /// Whether all eight bytes are ASCII digits.
    @inline(__always) static func allDigits(_ word: UInt64) -> Bool {
        let nibbles: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        let zeros: UInt64 = 0x3030_3030_3030_3030
        return word & nibbles == zeros && (word &+ ones &* 6) & nibbles == zeros
    }

    /// The number eight ASCII digits spell, the first byte the most significant digit.
    @inline(__always) static func digitsValue(_ word: UInt64) -> Int {
        var v = word & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* (10 << 8 + 1)) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        v = ((v & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
        return Int(truncatingIfNeeded: v)
    }
}
