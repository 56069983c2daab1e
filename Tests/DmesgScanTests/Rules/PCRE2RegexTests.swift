import DmesgScan
import Dispatch
import Testing

/// Regexes of the same pattern share their compiled code (`PCRE2Code`), not their match
/// state: each must keep the captures of its own last match, on one thread or many.
@Suite("Rules: PCRE2 regexes over shared code")
struct PCRE2RegexTests {
    static let pattern = #"^cpu (?<cpu>\d+) at (?<addr>[0-9a-f]+)$"#

    func captures(_ regex: PCRE2Regex, _ line: String) -> [String]? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBytes { raw -> [String]? in
            guard case .match = regex.match(raw) else { return nil }
            return regex.groupNames.map { name, number in
                regex.groupRange(number).map { String(decoding: raw[$0], as: UTF8.self) } ?? ""
            }
        }
    }

    @Test func twoRegexesOfOnePatternKeepTheirOwnMatches() throws {
        let first = try PCRE2Regex(Self.pattern)
        let second = try PCRE2Regex(Self.pattern)
        #expect(first.groupNames.map(\.name) == ["cpu", "addr"])
        let line = "cpu 3 at ffff0001"
        let bytes = Array(line.utf8)
        try bytes.withUnsafeBytes { raw in
            guard case .match = first.match(raw) else { Issue.record("no match"); return }
            #expect(captures(second, "cpu 12 at 00ab") == ["12", "00ab"])
            // The second regex's match did not move the first one's captures.
            let range = try #require(first.groupRange(2))
            #expect(String(decoding: raw[range], as: UTF8.self) == "ffff0001")
        }
    }

    @Test func regexesOfOnePatternMatchOnSeveralThreadsAtOnce() {
        let workers = 4
        let wrong = Counter()
        // Each thread makes its own regex, so the shared code is also looked up (or compiled
        // first) by several threads at once.
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            guard let regex = try? PCRE2Regex(Self.pattern + "|^never \\d$") else { return wrong.add() }
            for round in 0..<2_000 {
                let cpu = String(worker * 10_000 + round)
                if captures(regex, "cpu \(cpu) at beef") != [cpu, "beef"] { wrong.add() }
            }
        }
        #expect(wrong.value == 0)
    }

    @Test func regexesMadeFirstAreJITCompiledByTheirFirstMatchesOnSeveralThreads() throws {
        // Made before any of them matches, so their first matches, on several threads at
        // once, race for the shared code's JIT compile (done once, the others held meanwhile).
        let regexes = HandedOver(try (0..<4).map { _ in try PCRE2Regex(Self.pattern + "|^first \\d$") })
        let wrong = Counter()
        DispatchQueue.concurrentPerform(iterations: regexes.value.count) { worker in
            for round in 0..<500 {
                let cpu = String(worker * 1_000 + round)
                if captures(regexes.value[worker], "cpu \(cpu) at 0ff") != [cpu, "0ff"] { wrong.add() }
                if captures(regexes.value[worker], "cpu x at 0ff") != nil { wrong.add() }
            }
        }
        #expect(wrong.value == 0)
    }

    @Test func aBadPatternFailsEachTime() {
        for _ in 0..<2 { #expect(throws: PatternError.self) { try PCRE2Regex("(unclosed") } }
    }
}

/// Regexes each used by one thread only (a regex is not shareable, its array is not Sendable).
private struct HandedOver<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// A count kept under a lock, for the threads above.
private final class Counter: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var count = 0
    func add() {
        lock.wait()
        count += 1
        lock.signal()
    }
    var value: Int {
        lock.wait()
        defer { lock.signal() }
        return count
    }
}
