import DmesgScan
import Foundation
import Testing

/// Every file of ../shared/corpus, checked against its MANIFEST.tsv row.
@Suite("Corpus: all files against the manifest")
struct WholeCorpusTests {
    struct Row {
        var file: String
        var hasWarning: Bool
        var category: String
        var linuxVersions: Int
    }

    static func manifest() -> [Row]? {
        let path = TestSupport.corpusDirectory + "/MANIFEST.tsv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let (file, warning, category, versions) = (column("local_file"), column("has_WARNING"), column("category"), column("n_linux_version"))
        return lines.map { Row(file: $0[file], hasWarning: $0[warning] == "1", category: $0[category], linuxVersions: Int($0[versions]) ?? 0) }
    }

    /// Banner rules whose own examples include a WARNING banner (the WARN() family and lockdep's).
    static let warningRules: Set<String> = Set(TestSupport.shippedRules.rules.filter { rule in
        rule.report == .start && rule.examples.contains { $0.shouldMatch && $0.line.contains("WARNING") }
    }.map(\.id))

    /// A WARN() banner at the start of a kernel message, as a person would recognise it.
    static let banner = try! NSRegularExpression(pattern: #"(^|\] |kernel: )\s*WARNING: (CPU: \d+ PID: \d+ at|[\w./-]+:\d+ at|at |possible |inconsistent |suspicious )"#)

    @Test func everyFileScansAndWarningsAreFound() throws {
        guard let rows = WholeCorpusTests.manifest() else {
            print("notice: \(TestSupport.corpusDirectory) is absent; skipping whole-corpus tests")
            return
        }
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        var missed: [String] = []
        var bootMismatches: [String] = []
        var bootLogs = 0
        var classes: [String: Int] = [:]
        for row in rows {
            let path = TestSupport.corpusDirectory + "/" + row.file
            let result = scanner.scan(.file(path))
            if row.file.hasSuffix(".log") || row.file.hasSuffix(".txt") {
                #expect(result.status == .ok, "\(row.file): \(String(describing: result.error))")
            }
            let findings = result.boots.flatMap(\.findings)
            for f in findings { classes[f.title.components(separatedBy: " in ").first!, default: 0] += 1 }
            if row.hasWarning, !findings.contains(where: { WholeCorpusTests.warningRules.contains($0.rule) }), row.file.hasSuffix(".log") || row.file.hasSuffix(".txt") {
                // The manifest flag is a substring hint; only a real banner line counts as a miss.
                let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
                let banners = text.split(separator: "\n").filter { line in
                    line.contains("WARNING") && !line.contains("&nbsp;")
                        && WholeCorpusTests.banner.firstMatch(in: String(line), range: NSRange(line.startIndex..., in: line)) != nil
                }
                if !banners.isEmpty { missed.append("\(row.file): \(banners[0].prefix(100))") }
            }
            if row.category == "boot-x86", row.file.hasSuffix(".log") {
                bootLogs += 1
                if result.boots.count != row.linuxVersions { bootMismatches.append("\(row.file): \(result.boots.count) vs \(row.linuxVersions)") }
            }
        }
        print("report classes over the corpus: \(classes.sorted { $0.value > $1.value }.prefix(30))")
        print("boot count mismatches (\(bootMismatches.count) of \(bootLogs)):\n  " + bootMismatches.joined(separator: "\n  "))
        #expect(missed.isEmpty, "WARNING banners without a WARNING report:\n\(missed.joined(separator: "\n"))")
        // Known and explained: leading quoted excerpts, and "Linux version" inside other text.
        #expect(bootMismatches.count * 30 <= bootLogs)
    }
}
