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
        var otherFailures: [String] = []
        for path in logs {
            let result = scanner.scan(.file(path))
            #expect(result.status == .ok, "\(path): \(String(describing: result.error))")
            for boot in result.boots {
                // Every real boot frees initrd and init memory after page_alloc_init_late.
                for v in boot.invariants where v.id.hasPrefix("mm.init") && v.outcome == .fail {
                    otherFailures.append("\(path): \(v.id)")
                }
                for v in boot.invariants where v.id == CorpusTests.id {
                    counts[v.outcome.rawValue + (v.enforced ? "+enforced" : ""), default: 0] += 1
                    if v.outcome == .fail && !v.enforced && v.latentHazard { latentHazards += 1 }
                }
            }
        }
        print("corpus verdicts over \(logs.count) files: \(counts.sorted { $0.key < $1.key }), latent hazards: \(latentHazards)")
        #expect(otherFailures.isEmpty, "initrd/initmem freed early in real boots: \(otherFailures)")
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

    /// Every compressed original (.gz, .xz, .bz2) beside its decoded .log gives the same
    /// boots, findings and verdicts.
    @Test func compressedOriginalsMatchTheirDecodedTwins() throws {
        let root = TestSupport.corpusDirectory
        guard FileManager.default.fileExists(atPath: root), let walker = FileManager.default.enumerator(atPath: root) else {
            print("notice: corpus absent; skipping")
            return
        }
        let originals = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".log.gz") || $0.hasSuffix(".log.xz") || $0.hasSuffix(".log.bz2") }.sorted()
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        var compared = 0
        for original in originals {
            let twin = String(original[..<original.lastIndex(of: ".")!])
            guard FileManager.default.fileExists(atPath: root + "/" + twin) else { continue }
            let a = scanner.scan(.file(root + "/" + original))
            let b = scanner.scan(.file(root + "/" + twin))
            #expect(a.status == .ok && a.lines == b.lines, "\(original): \(String(describing: a.error))")
            #expect(a.boots.map { $0.invariants.map { "\($0.id)=\($0.outcome)" } } == b.boots.map { $0.invariants.map { "\($0.id)=\($0.outcome)" } }, "\(original)")
            #expect(a.boots.map { $0.findings.map(\.title) } == b.boots.map { $0.findings.map(\.title) }, "\(original)")
            compared += 1
        }
        print("compared \(compared) compressed originals with their decoded twins")
        #expect(compared >= 70)
    }

    /// `dmesgscan scan ../shared/corpus`: every file accounted for, same JSON with 1 and 2 workers.
    @Test func wholeCorpusIsAccountedForWithOneOrTwoWorkers() throws {
        let root = TestSupport.corpusDirectory
        guard FileManager.default.fileExists(atPath: root) else {
            print("notice: corpus absent; skipping")
            return
        }
        func run(_ jobs: Int) throws -> (String, [InputResult]) {
            var results: [InputResult] = []
            try BatchScanner(loader: TestSupport.shippedRules, jobs: jobs).run(InputExpander().expand([root])) { _, r in results += r }
            return (SummaryJSON.document(inputs: results, rules: TestSupport.ruleSet(), toolVersion: "test"), results)
        }
        let (one, results) = try run(1)
        let (two, _) = try run(2)
        #expect(one == two)
        let files = FileManager.default.enumerator(atPath: root)!.compactMap { $0 as? String }.filter { !$0.hasSuffix("/") }
            .filter { var d: ObjCBool = false; return FileManager.default.fileExists(atPath: root + "/" + $0, isDirectory: &d) && !d.boolValue && !$0.hasPrefix(".") }
        #expect(results.count == files.count, "\(results.count) results for \(files.count) files")
        #expect(results.allSatisfy { $0.status == .ok }, "\(results.filter { $0.status != .ok }.map(\.path))")
    }
}
