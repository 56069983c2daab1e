import DmesgScan
import Foundation
import Testing

/// Each log in `samples/` is scanned and its JSON compared with `samples/expected/<name>.json`.
/// Run with DMESGSCAN_UPDATE_GOLDEN=1 to rewrite the expected files from current output.
@Suite("Output: golden samples")
struct GoldenTests {
    static let samples: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.samplesDirectory)) ?? []
        return names.filter { $0.hasSuffix(".log") || $0.hasSuffix(".gz") || $0.hasSuffix(".jsonl") }.sorted()
    }()

    @Test func thereIsASampleForEveryVerdict() {
        let rules = TestSupport.ruleSet()
        var outcomes = Set<String>()
        for name in GoldenTests.samples {
            let result = InputScanner(rules: rules).scan(.file(TestSupport.samplesDirectory + "/" + name))
            for boot in result.boots { for v in boot.invariants { outcomes.insert(v.outcome.rawValue + (v.enforced ? "+enforced" : "")) } }
        }
        #expect(outcomes.isSuperset(of: ["pass+enforced", "fail+enforced", "fail", "not_applicable", "unknown"]))
        #expect(GoldenTests.samples.contains { $0.hasSuffix(".gz") })
    }

    @Test(arguments: GoldenTests.samples)
    func sampleMatchesGolden(name: String) throws {
        var result = InputScanner(rules: TestSupport.ruleSet()).scan(.file(TestSupport.samplesDirectory + "/" + name))
        result.path = "samples/" + name
        let actual = SummaryJSON.input(result) + "\n"
        let expectedPath = TestSupport.samplesDirectory + "/expected/" + name + ".json"
        if ProcessInfo.processInfo.environment["DMESGSCAN_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: TestSupport.samplesDirectory + "/expected", withIntermediateDirectories: true)
            try actual.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(actual == expected, "golden mismatch for \(name); rerun with DMESGSCAN_UPDATE_GOLDEN=1 and review the diff")
    }

    @Test func jsonEscapesControlAndQuotes() {
        let value = JSONValue.object([("a\"b", .string("line\n\u{1}\\")), ("t", .double(0.0645130000001))])
        #expect(value.serialized() == #"{"a\"b":"line\n\u0001\\","t":0.064513}"#)
    }
}
