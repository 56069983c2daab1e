import DmesgScan
import Foundation
import Testing

/// Every output format on the whole corpus, byte for byte: a digest of each is kept in
/// `corpus-output.digests`, so a change meant to be invisible (streaming, threads, speed)
/// is checked to be so. The digests hold for one corpus (its MANIFEST.tsv digest is kept
/// too) and one rule set; after an intended change, rerun with DMESGSCAN_UPDATE_GOLDEN=1
/// and say in the commit why the output changed.
@Suite("Corpus: output digests in every format")
struct CorpusOutputTests {
    let cli = CommandLineTests()
    static let digestFile = TestSupport.packageRoot + "/Tests/DmesgScanTests/Corpus/corpus-output.digests"

    func digest(_ text: String) -> String {
        var hash = FNV1a64()
        hash.add(text)
        return hash.hex
    }

    @Test func everyFormatIsUnchanged() throws {
        let corpus = TestSupport.corpusDirectory
        guard let manifest = try? String(contentsOfFile: corpus + "/MANIFEST.tsv", encoding: .utf8) else {
            print("notice: \(corpus) is absent; skipping the corpus output digests")
            return
        }
        let parent = (corpus as NSString).deletingLastPathComponent
        let name = (corpus as NSString).lastPathComponent
        // Relative paths, so the digests do not depend on where the corpus is.
        func output(_ arguments: [String], in directory: String = parent) throws -> String {
            let run = try cli.runProgram("/bin/sh", ["-c", "cd \"$0\" && exec \"$@\" 2>/dev/null", directory, CommandLineTests.binary] + arguments)
            #expect(run.status == 0 || run.status == 1, "\(arguments)")
            return run.stdout
        }
        var lines = ["manifest \(digest(manifest))"]
        let largest = "\(name)/mail/boot-x86"
        for format in ["text", "json", "ndjson", "junit", "prom", "kcidb"] {
            lines.append("\(format) batch \(digest(try output(["--format", format, "-j", "2", name])))")
        }
        // One stream (read ahead on a second thread), on every boot-x86 log given as one file.
        let scratch = TestSupport.scratchRoot + "/corpus"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let joined = scratch + "/joined.log"
        let logs = try FileManager.default.subpathsOfDirectory(atPath: parent + "/" + largest).filter { $0.hasSuffix(".log") }.sorted()
        var bytes = Data()
        for log in logs { bytes += try Data(contentsOf: URL(fileURLWithPath: parent + "/" + largest + "/" + log)) }
        try bytes.write(to: URL(fileURLWithPath: joined))
        for format in ["json", "ndjson", "junit", "kcidb"] {
            lines.append("\(format) stream \(digest(try output(["--format", format, "joined.log"], in: scratch)))")
        }
        let actual = lines.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["DMESGSCAN_UPDATE_GOLDEN"] == "1" {
            try actual.write(toFile: CorpusOutputTests.digestFile, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOfFile: CorpusOutputTests.digestFile, encoding: .utf8) else {
            Issue.record("no \(CorpusOutputTests.digestFile); run with DMESGSCAN_UPDATE_GOLDEN=1")
            return
        }
        guard expected.hasPrefix(lines[0] + "\n") else {
            print("notice: this corpus is not the one the digests were made from; skipping the comparison")
            return
        }
        #expect(actual == expected, "output changed on the corpus; if intended, rerun with DMESGSCAN_UPDATE_GOLDEN=1 and explain why in the commit")
    }
}
