/// One pass over a line finds which rule literals it contains.
///
/// Every 4-byte gram of every literal is hashed into a 64 Ki-bit set. A literal of length L
/// covers L - 3 consecutive gram positions, so looking at every `step`-th position of the
/// line, with `step` = (shortest literal) - 3, meets at least one gram of every occurrence:
/// with the rules' literals of 20 bytes or more, one position in 17. Only on a hit is the
/// gram compared and the whole literal verified. It may report a literal twice, never miss
/// one.
public struct LiteralPrefilter: Sendable {
    struct Entry: Sendable {
        var gram: UInt32
        var literal: Int
        var offset: Int
    }
    static let hashBits = 16
    /// Literals longer than this add only this many grams: the step stays small enough that
    /// the bitset stays sparse whatever the literals.
    static let maxStep = 16
    public let literals: [[UInt8]]
    /// Positions looked at: every `step`-th.
    let step: Int
    private var bitset: [UInt64]
    /// Entries by gram hash: a flat array, so a bitset hit costs no hashing of its own.
    private var table: [[Entry]]

    public init(literals: [[UInt8]]) {
        self.literals = literals
        let shortest = literals.lazy.map(\.count).filter { $0 >= 4 }.min() ?? 4
        step = min(shortest - 3, LiteralPrefilter.maxStep)
        bitset = [UInt64](repeating: 0, count: (1 << LiteralPrefilter.hashBits) / 64)
        table = [[Entry]](repeating: [], count: 1 << LiteralPrefilter.hashBits)
        for (index, literal) in literals.enumerated() where literal.count >= 4 {
            // Of any `step` consecutive gram offsets inside the literal, the scan looks at one
            // wherever the literal starts; the window starts at its rarest gram if it fits.
            let first = min(LiteralPrefilter.bestGramOffset(literal), literal.count - 3 - step)
            for offset in first..<(first + step) {
                let gram = literal.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
                let h = LiteralPrefilter.hash(gram)
                bitset[h >> 6] |= 1 << UInt64(h & 63)
                table[h].append(Entry(gram: gram, literal: index, offset: offset))
            }
        }
    }

    @inline(__always) static func hash(_ gram: UInt32) -> Int {
        Int((gram &* 0x9E37_79B1) >> UInt32(32 - hashBits))
    }

    /// Prefers grams of rarer bytes: punctuation, digits and capitals over lower case and spaces.
    static func bestGramOffset(_ literal: [UInt8]) -> Int {
        func weight(_ b: UInt8) -> Int {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"), UInt8(ascii: "n"): return 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return 3
            default: return 2
            }
        }
        var best = 0
        var bestScore = -1
        for offset in 0...(literal.count - 4) {
            let score = (0..<4).reduce(0) { $0 + weight(literal[offset + $1]) }
            if score > bestScore {
                best = offset
                bestScore = score
            }
        }
        return best
    }

    /// Calls `found` with the index of each literal that occurs in `line` (possibly repeated).
    @inline(__always)
    public func forEachLiteral(in line: UnsafeRawBufferPointer, _ found: (Int) -> Void) {
        let count = line.count
        guard count >= 4, let base = line.baseAddress else { return }
        bitset.withUnsafeBufferPointer { bits in
            var i = 0
            let last = count - 4
            while i <= last {
                let gram = base.loadUnaligned(fromByteOffset: i, as: UInt32.self)
                let h = LiteralPrefilter.hash(gram)
                if bits[h >> 6] & (1 << UInt64(h & 63)) != 0 {
                    verify(gram: gram, hash: h, at: i, in: line, found)
                }
                i += step
            }
        }
    }

    private func verify(gram: UInt32, hash: Int, at position: Int, in line: UnsafeRawBufferPointer, _ found: (Int) -> Void) {
        for entry in table[hash] where entry.gram == gram {
            let start = position - entry.offset
            let literal = literals[entry.literal]
            guard start >= 0, start + literal.count <= line.count else { continue }
            let equal = literal.withUnsafeBytes { lit in
                memcmp(line.baseAddress! + start, lit.baseAddress!, literal.count) == 0
            }
            if equal { found(entry.literal) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
