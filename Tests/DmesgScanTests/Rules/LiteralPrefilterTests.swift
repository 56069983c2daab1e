@testable import DmesgScan
import Testing

@Suite("Rules: literal prefilter")
struct LiteralPrefilterTests {
    func found(_ filter: LiteralPrefilter, in line: [UInt8]) -> Set<Int> {
        var seen = Set<Int>()
        line.withUnsafeBytes { filter.forEachLiteral(in: $0) { seen.insert($0) } }
        return seen
    }

    /// The scan looks at one position in `step`, yet finds a literal wherever it starts in
    /// the line: every offset, for short and long literals together.
    @Test(arguments: [[4], [5, 30], [20, 21, 27], [9, 64], [17, 100]])
    func everyOccurrenceIsFoundWhereverItStarts(lengths: [Int]) {
        var random = SystemRandomNumberGenerator()
        func text(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0x21...0x7E, using: &random) } }
        let literals = lengths.map(text)
        let filter = LiteralPrefilter(literals: literals)
        #expect(filter.step == min(lengths.min()! - 3, LiteralPrefilter.maxStep))
        for (index, literal) in literals.enumerated() {
            for start in 0..<40 {
                let line = Array(repeating: UInt8(ascii: " "), count: start) + literal + Array(repeating: UInt8(ascii: " "), count: start % 7)
                #expect(found(filter, in: line).contains(index), "literal \(index) at \(start)")
            }
        }
        #expect(found(filter, in: Array(repeating: UInt8(ascii: " "), count: 200)).isEmpty)
        // A line that holds only part of a literal does not report it.
        let half = Array(literals[0].prefix(literals[0].count - 1))
        #expect(!found(filter, in: half + [0x20]).contains(0))
    }
}
