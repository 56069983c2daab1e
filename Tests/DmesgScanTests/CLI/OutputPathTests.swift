import Foundation
import Testing

/// `-o` never changes what the named path is, never follows a planted name, keeps the old
/// file's mode, and turns every failed write into exit 2 naming the path.
@Suite("CLI: output paths")
struct OutputPathTests {
    let cli = CommandLineTests()
    let log = TestSupport.samplesDirectory + "/refused-7.0-next-util-linux.log"

    func directory() throws -> String {
        let dir = TestSupport.scratchRoot + "/output-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func kind(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0
    }

    func entries(_ dir: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() }

    @Test func aSymlinkStaysASymlinkAndItsTargetIsReplacedWithItsMode() throws {
        let dir = try directory()
        let target = dir + "/report.json"
        _ = FileManager.default.createFile(atPath: target, contents: Data("old".utf8))
        chmod(target, 0o600)
        #expect(symlink("report.json", dir + "/latest.json") == 0)
        let run = try cli.run(["--format", "json", "-o", dir + "/latest.json", log])
        #expect(run.status == 1)
        #expect(kind(dir + "/latest.json") == S_IFLNK)
        #expect(kind(target) == S_IFREG)
        #expect(mode(target) == 0o600)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        #expect(written.hasPrefix("{\"schema\":\"dmesgscan/1\""))
        #expect(entries(dir) == ["latest.json", "report.json"])  // no temporary file left
    }

    @Test func aDanglingSymlinkCreatesItsTarget() throws {
        let dir = try directory()
        #expect(symlink(dir + "/new.json", dir + "/link.json") == 0)
        #expect(try cli.run(["--format", "json", "-o", dir + "/link.json", log]).status == 1)
        #expect(kind(dir + "/link.json") == S_IFLNK)
        #expect(kind(dir + "/new.json") == S_IFREG)
    }

    /// Found by the output fuzz target: as Characters, the "/" before a name that starts with
    /// a combining mark is no "/", and a relative symlink's target went one directory up.
    @Test func aNameStartingWithACombiningMarkStaysInItsDirectory() throws {
        let dir = try directory()
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
        let link = dir + "/sub/\u{0301}link.json"
        #expect(symlink("target.json", link) == 0)
        #expect(try cli.run(["--format", "json", "-o", link, log]).status == 1)
        #expect(kind(dir + "/sub/target.json") == S_IFREG)
        #expect(entries(dir) == ["sub"])
        #expect(try cli.run(["--format", "json", "-o", dir + "/sub/\u{0301}new.json", log]).status == 1)
        #expect(entries(dir + "/sub").count == 3)
    }

    @Test func aFifoIsWrittenInPlace() throws {
        let dir = try directory()
        let fifo = dir + "/out.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = TestSupport.temporaryFile("fifo-received", [])
        // A reader drains the FIFO while dmesgscan writes into it.
        let run = try cli.runProgram("/bin/sh", ["-c", "cat \"$1\" > \"$2\" & \"$0\" --format json -o \"$1\" \"$3\"; s=$?; wait; exit $s",
                                                 CommandLineTests.binary, fifo, received, log])
        #expect(run.status == 1)
        #expect(kind(fifo) == S_IFIFO)
        #expect(try String(contentsOfFile: received, encoding: .utf8).contains("\"verdict\":\"fail\""))
        #expect(entries(dir) == ["out.fifo"])
    }

    @Test func aCharacterDeviceIsWrittenInPlaceNotReplaced() throws {
        let dir = try directory()
        #expect(symlink("/dev/null", dir + "/null") == 0)
        let run = try cli.run(["--format", "json", "-o", dir + "/null", log])
        #expect(run.status == 1)
        #expect(kind(dir + "/null") == S_IFLNK)
        #expect(kind("/dev/null") == S_IFCHR)
        #expect(entries(dir) == ["null"])
        let merged = try cli.run(["merge", "-o", dir + "/null", TestSupport.temporaryFile("s.json", Array(try cli.run(["--format", "json", log]).stdout.utf8))])
        #expect(merged.status == 0)
        #expect(kind(dir + "/null") == S_IFLNK)
    }

    @Test func theTemporaryFileIsNeverAnInputOfTheScanThatWritesIt() throws {
        let dir = try directory()
        try FileManager.default.copyItem(atPath: log, toPath: dir + "/boot.log")
        let run = try cli.run(["--hidden", "--format", "json", "-o", dir + "/summary.json", dir])
        #expect(run.status == 1)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/summary.json"))) as! [String: Any]
        let paths = (json["inputs"] as! [[String: Any]]).map { $0["path"] as! String }
        #expect(paths == [dir + "/boot.log"])
    }

    @Test func aFullDeviceIsAnErrorInEveryFormat() throws {
        for format in ["text", "json", "ndjson", "junit", "prom", "kcidb"] {
            let run = try cli.run(["--format", format, "-o", "/dev/full", log])
            #expect(run.status == 2, "\(format)")
            #expect(run.stderr.contains("/dev/full: cannot write: No space left on device"), "\(format): \(run.stderr)")
            let redirected = try cli.runProgram("/bin/sh", ["-c", "exec \"$0\" \"$@\" > /dev/full", CommandLineTests.binary, "--format", format, log])
            #expect(redirected.status == 2, "\(format)")
            #expect(redirected.stderr.contains("stdout: cannot write"), "\(format): \(redirected.stderr)")
        }
        let closed = try cli.runProgram("/bin/sh", ["-c", "exec \"$0\" \"$@\" >&-", CommandLineTests.binary, "--format", "json", log])
        #expect(closed.status == 2)
        #expect(closed.stderr.contains("stdout"))
    }

    @Test func aWriteThatFailsHalfwayLeavesTheOldFileInPlace() throws {
        let dir = try directory()
        let target = dir + "/report.json"
        _ = FileManager.default.createFile(atPath: target, contents: Data("previous report\n".utf8))
        // A 1 KiB file-size limit makes the write fail with EFBIG partway through the output.
        let run = try cli.runProgram("/bin/bash", ["-c", "trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"", CommandLineTests.binary, "--format", "json", "--pretty", "-o", target, log])
        #expect(run.status == 2)
        #expect(run.stderr.contains("\(target): cannot write"), "\(run.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "previous report\n")
        #expect(entries(dir) == ["report.json"])
    }

    @Test func signalsLeaveNoTemporaryFile() throws {
        let dir = try directory()
        let fifo = dir + "/console.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = open(fifo, O_RDWR)  // keeps the input open, so the scan waits for more
        defer { close(writer) }
        _ = "[    0.1] Linux version 6.8.0 (a@b)\n".withCString { write(writer, $0, strlen($0)) }
        for signalNumber in [SIGTERM, SIGINT] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
            process.arguments = ["--format", "json", "-o", dir + "/out.json", fifo]
            var environment = ProcessInfo.processInfo.environment
            environment["DMESGSCAN_RULES"] = TestSupport.rulesDirectory
            process.environment = environment
            try process.run()
            var waited = 0
            while !entries(dir).contains(where: { $0.hasPrefix(".out.json.") }) && waited < 500 {
                usleep(10_000)
                waited += 1
            }
            #expect(entries(dir).contains(where: { $0.hasPrefix(".out.json.") }), "the temporary file exists while scanning")
            kill(process.processIdentifier, signalNumber)
            process.waitUntilExit()
            // A live stream stops as at its end: the output is finished and moved into
            // place, and no temporary file is left (exit 128 + the signal).
            #expect(entries(dir) == ["console.fifo", "out.json"], "signal \(signalNumber)")
            #expect(process.terminationStatus == 128 + signalNumber)
            let written = FileManager.default.contents(atPath: dir + "/out.json") ?? Data()
            #expect((try? JSONSerialization.jsonObject(with: written)) != nil, "signal \(signalNumber): out.json is not a whole document")
            try? FileManager.default.removeItem(atPath: dir + "/out.json")
        }
        // A batch (several inputs) is cut short instead: the temporary file is removed and
        // nothing is written in place of the old output.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLineTests.binary)
        process.arguments = ["--format", "json", "-o", dir + "/out.json", TestSupport.samplesDirectory + "/pass-7.1-caller-id.log", fifo]
        process.environment = ProcessInfo.processInfo.environment.merging(["DMESGSCAN_RULES": TestSupport.rulesDirectory]) { $1 }
        try process.run()
        var waited = 0
        while !entries(dir).contains(where: { $0.hasPrefix(".out.json.") }) && waited < 500 {
            usleep(10_000)
            waited += 1
        }
        usleep(200_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(entries(dir) == ["console.fifo"], "a batch stopped by SIGTERM")
    }
}
