import DmesgScan
import Foundation
import Testing

/// Inputs the fuzzers found crashes with (Tests/DmesgScanTests/Fixtures/fuzz/<target>-<what>),
/// replayed through the same code as their target.
@Suite("Records: fuzz regressions")
struct FuzzRegressionTests {
    static let directory = TestSupport.packageRoot + "/Tests/DmesgScanTests/Fixtures/fuzz"
    static let cases = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()

    @Test(arguments: FuzzRegressionTests.cases)
    func replay(name: String) throws {
        let bytes = Array(try #require(FileManager.default.contents(atPath: FuzzRegressionTests.directory + "/" + name)))
        if name.hasPrefix("records-") {
            // A JSON line whose MESSAGE array held a 50-digit number overflowed an Int (trap).
            let decoder = RecordDecoder()
            var source = MemorySource(bytes, chunk: 97)
            let summary = LineReader(bufferSize: 4096, maxLineLength: 1024).forEachLine(of: &source) { line, number in
                _ = decoder.decode(line, lineNumber: number)
            }
            #expect(summary.lines > 0)
        }
        if name.hasPrefix("rules-") {
            // A rule file whose mapping key could not be looked up again crashed the loader.
            var loader = RuleLoader()
            do { try loader.load(yaml: String(decoding: bytes, as: UTF8.self), file: name) } catch {}
            return
        }
        var source = MemorySource(bytes)
        let result = InputScanner(rules: TestSupport.ruleSet()).scan(source: &source, name: name)
        #expect(result.status == .ok)
    }
}
