import DmesgScan
import Foundation
import Testing

/// Real logs in ../shared/corpus, read in place. Skipped with a notice where it is absent.
@Suite("Corpus: real boot logs")
struct CorpusTests {
    static let bootX86 = TestSupport.corpusDirectory + "/mail/boot-x86"
    static let id = "x86.smp-locks-after-page-alloc-init-late"

    static func logs() -> [String]? {
        guard FileManager.default.fileExists(atPath: bootX86) else { return nil }
        guard let walker = FileManager.default.enumerator(atPath: bootX86) else { return nil }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".log") }.sorted().map { bootX86 + "/" + $0 }
    }

    @Test func everyX86BootLogScansWithTheExpectedVerdicts() throws {
        guard let logs = CorpusTests.logs(), !logs.isEmpty else {
            print("notice: \(CorpusTests.bootX86) is absent; skipping corpus tests")
            return
        }
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        var counts: [String: Int] = [:]
        var latentHazards = 0
        for path in logs {
            let result = scanner.scan(.file(path))
            #expect(result.status == .ok, "\(path): \(String(describing: result.error))")
            for boot in result.boots {
                for v in boot.invariants where v.id == CorpusTests.id {
                    counts[v.outcome.rawValue + (v.enforced ? "+enforced" : ""), default: 0] += 1
                    if v.outcome == .fail && !v.enforced && v.latentHazard { latentHazards += 1 }
                }
            }
        }
        print("corpus verdicts over \(logs.count) files: \(counts.sorted { $0.key < $1.key }), latent hazards: \(latentHazards)")
        // 107 boots print both the SMP alternatives free and a deferred-pages line (corpus README).
        #expect(latentHazards == 107)
        #expect(counts["pass+enforced"] == 1)
        #expect(counts["fail+enforced"] == nil)
    }

    @Test func the71BootPassesEnforced() throws {
        let path = CorpusTests.bootX86 + "/cgroups/cgroups_a5d1d1c67c_1_390386004b.log"
        guard FileManager.default.fileExists(atPath: path) else {
            print("notice: \(path) is absent; skipping")
            return
        }
        let boot = try #require(InputScanner(rules: TestSupport.ruleSet()).scan(.file(path)).boots.first)
        let v = try #require(boot.invariants.first { $0.id == CorpusTests.id })
        #expect(boot.kernel?.release.hasPrefix("7.1.0-rc2") == true)
        #expect(v.outcome == .pass && v.enforced)
    }

    @Test func compressedOriginalsMatchTheirDecodedTwins() throws {
        guard FileManager.default.fileExists(atPath: CorpusTests.bootX86),
            let walker = FileManager.default.enumerator(atPath: CorpusTests.bootX86)
        else {
            print("notice: corpus absent; skipping")
            return
        }
        let gzips = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".log.gz") }.sorted()
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        for gz in gzips {
            let a = scanner.scan(.file(CorpusTests.bootX86 + "/" + gz))
            let b = scanner.scan(.file(CorpusTests.bootX86 + "/" + String(gz.dropLast(3))))
            #expect(a.status == .ok && a.lines == b.lines, "\(gz)")
            #expect(a.boots.map { $0.invariants.map(\.outcome) } == b.boots.map { $0.invariants.map(\.outcome) })
            #expect(a.boots.map { $0.findings.map(\.title) } == b.boots.map { $0.findings.map(\.title) })
        }
    }
}
