import DmesgScan
import Foundation
import Synchronization
import Testing

/// Archives, directories and parallel scanning, built by the tests from `samples/`.
@Suite("Pipeline: batches and archives")
struct BatchTests {
    /// A fresh directory holding copies of some samples.
    func workspace() throws -> String {
        let dir = TestSupport.scratchRoot + "/batch-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/logs/sub", withIntermediateDirectories: true)
        for name in ["pass-7.1-caller-id.log", "refused-7.0-next-util-linux.log", "fail-6.8-deferred.log.gz"] {
            try FileManager.default.copyItem(atPath: TestSupport.samplesDirectory + "/" + name, toPath: dir + "/logs/" + name)
        }
        try FileManager.default.copyItem(atPath: TestSupport.samplesDirectory + "/kmsg-records.log", toPath: dir + "/logs/sub/kmsg.log")
        return dir
    }

    /// Runs a shell command in `dir`; returns false (and the test skips) when a tool is missing.
    @discardableResult
    func sh(_ command: String, in dir: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func tools(_ names: String...) throws -> Bool {
        let ok = try names.allSatisfy { try sh("command -v \($0)", in: "/") == 0 }
        if !ok { print("notice: \(names.joined(separator: ", ")) not installed; skipping") }
        return ok
    }

    func scanAll(_ paths: [String], jobs: Int = 2, hidden: Bool = false) throws -> [InputResult] {
        var results: [InputResult] = []
        try BatchScanner(loader: TestSupport.shippedRules, jobs: jobs).run(InputExpander(includeHidden: hidden).expand(paths)) { _, r in results += r }
        return results
    }

    func json(_ results: [InputResult]) -> String {
        SummaryJSON.document(inputs: results, rules: TestSupport.ruleSet(), toolVersion: "test")
    }

    @Test func directoryWalkIsSortedRecursiveAndSkipsHidden() throws {
        let dir = try workspace()
        _ = FileManager.default.createFile(atPath: dir + "/logs/.hidden.log", contents: Data("x\n".utf8))
        let items = InputExpander().expand([dir + "/logs"])
        #expect(items == [
            .input(.file(dir + "/logs/fail-6.8-deferred.log.gz")), .input(.file(dir + "/logs/pass-7.1-caller-id.log")),
            .input(.file(dir + "/logs/refused-7.0-next-util-linux.log")), .input(.file(dir + "/logs/sub/kmsg.log")),
        ])
        #expect(InputExpander(includeHidden: true).expand([dir + "/logs"]).count == 5)
    }

    @Test func oneAndTwoWorkersGiveIdenticalJSON() throws {
        let dir = try workspace()
        let one = json(try scanAll([dir + "/logs"], jobs: 1))
        let two = json(try scanAll([dir + "/logs"], jobs: 2))
        let four = json(try scanAll([dir + "/logs"], jobs: 4))
        #expect(one == two && two == four)
    }

    /// With more than one worker, `deliver` runs on whichever worker finds the next item
    /// ready: still in order, once per item, and never two calls at once. Inputs that end at
    /// once (errors) beside ones that take a scan make items finish out of order.
    @Test(arguments: [2, 4])
    func workersDeliverInOrderOneCallAtATime(jobs: Int) throws {
        let dir = try workspace()
        let files = InputExpander().expand([dir + "/logs"])
        var items: [InputExpander.Item] = []
        for n in 0..<240 {
            items.append(n % 3 == 0 ? files[n / 3 % files.count] : .error("missing-\(n)", InputError(.open, "gone")))
        }
        let inside = Atomic<Int>(0)
        var order: [Int] = []
        var overlapped = false
        try BatchScanner(loader: TestSupport.shippedRules, jobs: jobs).run(items) { index, results in
            if inside.add(1, ordering: .sequentiallyConsistent).newValue != 1 { overlapped = true }
            order.append(index)
            #expect(results.count == 1)
            if case .error(let path, _) = items[index] { #expect(results.first?.path == path) }
            usleep(index % 7 == 0 ? 200 : 0)
            inside.subtract(1, ordering: .sequentiallyConsistent)
        }
        #expect(order == Array(items.indices))
        #expect(!overlapped)
    }

    @Test func symlinkLoopUnreadableAndTruncatedMemberAreErrorsOthersScanned() throws {
        guard try tools("tar", "gzip") else { return }
        let dir = try workspace()
        try FileManager.default.createSymbolicLink(atPath: dir + "/logs/sub/loop", withDestinationPath: dir + "/logs")
        // A tarball whose second member is a gzip cut in half.
        try sh("cp logs/fail-6.8-deferred.log.gz cut.log.gz && truncate -s 700 cut.log.gz && tar czf bundle.tar.gz -C logs pass-7.1-caller-id.log -C .. cut.log.gz", in: dir)
        try sh("mkdir batch && mv bundle.tar.gz batch/ && cp logs/refused-7.0-next-util-linux.log batch/", in: dir)
        var paths = [dir + "/batch", dir + "/logs/sub", dir + "/missing.log"]
        let unreadable = dir + "/batch/unreadable.log"
        _ = FileManager.default.createFile(atPath: unreadable, contents: Data("[    0.1] x\n".utf8), attributes: [.posixPermissions: 0])
        if getuid() != 0 { paths.append(unreadable) }
        let results = try scanAll(paths)
        let byPath = Dictionary(results.map { ($0.path.replacingOccurrences(of: dir + "/", with: ""), $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["batch/bundle.tar.gz:pass-7.1-caller-id.log"]?.status == .ok)
        let cut = try #require(byPath["batch/bundle.tar.gz:cut.log.gz"])
        #expect(cut.status == .partial && cut.error?.kind == .truncated && cut.lines > 0)
        #expect(byPath["batch/refused-7.0-next-util-linux.log"]?.status == .ok)
        #expect(byPath["logs/sub/kmsg.log"]?.status == .ok)
        #expect(results.contains { $0.path.hasPrefix(dir + "/logs/sub/loop") && $0.error?.description.contains("symlink loop") == true })
        #expect(byPath["missing.log"]?.status == .error)
        if getuid() != 0 {
            #expect(byPath["batch/unreadable.log"]?.error?.kind == .open)
        } else {
            print("notice: running as root, so a file without read permission is still readable; skipped that case")
        }
    }

    @Test func compressedAndArchivedSamplesGiveTheSameVerdictsAsText() throws {
        guard try tools("tar", "xz", "zstd", "zip", "bzip2", "lz4") else { return }
        let dir = try workspace()
        try sh("""
            cp logs/refused-7.0-next-util-linux.log r.log && cp logs/pass-7.1-caller-id.log p.log &&
            xz -k r.log && bzip2 -k p.log && zstd -q r.log -o r.log.zst && lz4 -q p.log p.log.lz4 &&
            tar cf - r.log p.log | zstd -q -o both.tar.zst && zip -q both.zip r.log p.log &&
            tar cf xzs.tar r.log.xz p.log.bz2
            """, in: dir)
        let plain = try scanAll([dir + "/r.log", dir + "/p.log"])
        func outcomes(_ results: [InputResult]) -> [[String]] {
            results.map { $0.boots.flatMap { $0.invariants.map { "\($0.id)=\($0.outcome.rawValue)/\($0.enforced)" } + $0.findings.map(\.title) } }
        }
        let expected = outcomes(plain)
        #expect(outcomes(try scanAll([dir + "/r.log.xz", dir + "/p.log.bz2"])) == expected)
        #expect(outcomes(try scanAll([dir + "/r.log.zst", dir + "/p.log.lz4"])) == expected)
        let tarZst = try scanAll([dir + "/both.tar.zst"])
        #expect(tarZst.map(\.path) == [dir + "/both.tar.zst:r.log", dir + "/both.tar.zst:p.log"])
        #expect(outcomes(tarZst) == expected)
        #expect(outcomes(try scanAll([dir + "/both.zip"])) == expected)
        let nested = try scanAll([dir + "/xzs.tar"])
        #expect(nested.map(\.path) == [dir + "/xzs.tar:r.log.xz", dir + "/xzs.tar:p.log.bz2"])
        #expect(outcomes(nested) == expected)
    }

    @Test func truncatedXzKeepsWhatCameBefore() throws {
        guard try tools("xz") else { return }
        let dir = try workspace()
        // Enough text that the cut lands after whole blocks of it.
        let text = String(repeating: String(decoding: TestSupport.readSample("pass-7.1-caller-id.log"), as: UTF8.self), count: 400)
        _ = FileManager.default.createFile(atPath: dir + "/big.log", contents: Data(text.utf8))
        try sh("xz -k -0 --block-size=16384 big.log && head -c $(( $(stat -c %s big.log.xz) / 2 )) big.log.xz > cut.xz", in: dir)
        let result = try #require(try scanAll([dir + "/cut.xz"]).first)
        #expect(result.status == .partial)
        #expect(result.error?.kind == .truncated || result.error?.kind == .archive)
        #expect(result.lines > 1000)
    }

    @Test func filesFromListsPathsOnLinesOrNULs() throws {
        let dir = try workspace()
        let list = TestSupport.temporaryFile("list", Array("\(dir)/logs/pass-7.1-caller-id.log\n\(dir)/logs/sub/kmsg.log\n".utf8))
        #expect(try InputExpander.readList(list, nulSeparated: false) == [dir + "/logs/pass-7.1-caller-id.log", dir + "/logs/sub/kmsg.log"])
        let nul = TestSupport.temporaryFile("list0", Array("a b\u{0}c\n\u{0}".utf8))
        #expect(try InputExpander.readList(nul, nulSeparated: true) == ["a b", "c\n"])
    }

    @Test func unsupportedFormatsAreNamed() throws {
        let elf = TestSupport.temporaryFile("vmlinux", [0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: 0, count: 200))
        let result = InputScanner(rules: TestSupport.ruleSet()).scan(.file(elf))
        #expect(result.status == .error)
        #expect(result.error?.description == "unsupported input format: an ELF binary (dmesgscan reads text logs, gzip, xz, bzip2, zstd, lz4, tar, zip and cpio)")
        // Something that only looks like a journal is an error for that input, not a crash.
        let fake = TestSupport.temporaryFile("fake.journal", Array("LPKSHHRH".utf8) + [UInt8](repeating: 0, count: 200))
        let journal = InputScanner(rules: TestSupport.ruleSet()).scan(.file(fake))
        #expect(journal.status == .error && journal.error?.description.contains("journal") == true)
    }
}
