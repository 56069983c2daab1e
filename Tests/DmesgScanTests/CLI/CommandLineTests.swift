import Foundation
import Testing

/// Runs the real `dmesgscan` binary, built next to the test bundle.
@Suite("CLI: the dmesgscan command")
struct CommandLineTests {
    static let binary: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return exe.deletingLastPathComponent().appendingPathComponent("dmesgscan").path
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary with stdin, stdout and stderr in files (pipes read through Foundation
    /// can fail with EINTR while other tests run).
    func run(_ arguments: [String], stdin: String? = nil) throws -> Run {
        try runProgram(CommandLineTests.binary, arguments, stdin: stdin)
    }

    func runProgram(_ program: String, _ arguments: [String], stdin: String? = nil) throws -> Run {
        let input = TestSupport.temporaryFile("stdin", Array((stdin ?? "").utf8))
        let out = TestSupport.temporaryFile("stdout", [])
        let err = TestSupport.temporaryFile("stderr", [])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DMESGSCAN_RULES"] = TestSupport.rulesDirectory
        // Outputs that carry the scan's time (NDJSON, Prometheus) stay reproducible.
        if environment["SOURCE_DATE_EPOCH"] == nil { environment["SOURCE_DATE_EPOCH"] = "1767225600" }
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: input)
        process.standardOutput = FileHandle(forWritingAtPath: out)
        process.standardError = FileHandle(forWritingAtPath: err)
        try process.run()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self),
            stderr: String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))
    }

    func sample(_ name: String) -> String { TestSupport.samplesDirectory + "/" + name }

    @Test func cleanLogExitsZeroAndEnforcedFailureExitsOne() throws {
        #expect(try run([sample("pass-7.1-caller-id.log")]).status == 0)
        let failed = try run(["scan", sample("refused-7.0-next-util-linux.log")])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("FAIL x86.smp-locks-after-page-alloc-init-late (enforced, error)"))
        #expect(failed.stdout.contains("line 21 frame:"))
    }

    @Test func jobsTakeAJoinedValueAsMakeDoes() throws {
        let log = TestSupport.samplesDirectory + "/pass-7.1-caller-id.log"
        let joined = try run(["-j1", "--format", "json", log])
        let spaced = try run(["-j", "1", "--format", "json", log])
        #expect(joined.status == spaced.status)
        #expect(joined.stdout == spaced.stdout)
        #expect(joined.stderr.isEmpty)
    }

    /// no-color.org and --color: colour on a terminal only, never with NO_COLOR or TERM=dumb
    /// unless --color always asks for it. A terminal comes from script(1).
    @Test func colourFollowsTheTerminalNoColorAndTheFlag() throws {
        guard try runProgram("/bin/sh", ["-c", "command -v script"]).status == 0 else {
            print("notice: script(1) is missing; skipping the terminal colour checks")
            return
        }
        let log = TestSupport.samplesDirectory + "/fail-6.8-deferred.log"
        func onTerminal(_ environment: String, _ flags: String = "") throws -> Bool {
            let command = "\(environment) exec script -qec \"'\(CommandLineTests.binary)' \(flags) '\(log)'\" /dev/null"
            return try runProgram("/bin/sh", ["-c", command]).stdout.contains("\u{1B}[")
        }
        #expect(try onTerminal("unset NO_COLOR; TERM=xterm"))
        #expect(try !onTerminal("TERM=xterm NO_COLOR=1"))
        #expect(try onTerminal("TERM=xterm NO_COLOR="), "an empty NO_COLOR does not count")
        #expect(try !onTerminal("unset NO_COLOR; TERM=dumb"))
        #expect(try !onTerminal("unset NO_COLOR; TERM=xterm", "--color never"))
        #expect(try onTerminal("TERM=xterm NO_COLOR=1", "--color always"))
        #expect(try run(["--color", "always", log]).stdout.contains("\u{1B}["))
        #expect(try !run([log]).stdout.contains("\u{1B}["))
    }

    /// Asked to scan nothing, or nothing like a kernel log, the run says so and exits 2 (it
    /// exited 0, which looked like a clean boot); a README among logs makes no boot.
    @Test func scanningNothingOrNoKernelLogIsAnError() throws {
        let dir = TestSupport.scratchRoot + "/nothing-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/empty", withIntermediateDirectories: true)
        let empty = try run([dir + "/empty"])
        #expect(empty.status == 2 && empty.stderr.contains("no inputs to scan"))
        try "This is a README\nnot a boot\n".write(toFile: dir + "/README", atomically: false, encoding: .utf8)
        let readme = try run(["--format", "json", dir + "/README"])
        #expect(readme.status == 2 && readme.stderr.contains("nothing scanned looks like a kernel log"))
        #expect(readme.stdout.contains("\"boots\":[]"))
        #expect(try run([], stdin: "").status == 2)
        try FileManager.default.copyItem(atPath: TestSupport.samplesDirectory + "/pass-7.1-caller-id.log", toPath: dir + "/boot.log")
        let mixed = try run(["--format", "json", dir + "/README", dir + "/boot.log"])
        #expect(mixed.status == 0, "\(mixed.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(mixed.stdout.utf8)) as! [String: Any]
        #expect((json["inputs"] as! [[String: Any]]).map { ($0["boots"] as! [Any]).count } == [0, 1])
    }

    /// `make install`'s bash completion offers the default subcommand's options and values
    /// without the word `scan` (argument-parser's own script offered nothing there).
    @Test func bashCompletesTheDefaultSubcommand() throws {
        guard try runProgram("/bin/sh", ["-c", "command -v bash"]).status == 0 else {
            print("notice: bash is missing; skipping the completion check")
            return
        }
        let script = TestSupport.packageRoot + "/scripts/completions"
        func complete(_ words: [String]) throws -> [String] {
            let line = words.joined(separator: " ")
            let command = """
                source <(DMESGSCAN_BIN='\(CommandLineTests.binary)' '\(script)' bash)
                COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
                COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
                _dmesgscan dmesgscan '\(words.last!)' '\(words[words.count - 2])'; printf '%s\\n' "${COMPREPLY[@]}"
                """
            return try runProgram("/bin/bash", ["-c", command]).stdout.split(separator: "\n").map(String.init)
        }
        #expect(try complete(["dmesgscan", "--format", ""]) == ["text", "json", "ndjson", "junit", "prom", "kcidb", "sarif", "github", "tap", "html"])
        #expect(try complete(["dmesgscan", "--fo"]).contains("--format"))
        #expect(try complete(["dmesgscan", "scan", "--color", ""]) == ["auto", "always", "never"])
        #expect(try complete(["dmesgscan", "me"]) == ["merge"])
    }

    /// fish's and zsh's completions (from `make install`) do the same. fish answers
    /// `complete -C`; zsh completes only in an interactive shell, so one runs on a pty.
    @Test func fishAndZshCompleteTheDefaultSubcommand() throws {
        let script = TestSupport.packageRoot + "/scripts/completions"
        let dir = TestSupport.scratchRoot + "/completions-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let environment = "DMESGSCAN_BIN='\(CommandLineTests.binary)'"
        if try runProgram("/bin/sh", ["-c", "command -v fish"]).status == 0 {
            let made = try runProgram("/bin/sh", ["-c", "\(environment) '\(script)' fish > '\(dir)/dmesgscan.fish'"])
            #expect(made.status == 0, "\(made.stderr)")
            func complete(_ line: String) throws -> [String] {
                let out = try runProgram("/bin/sh", ["-c", "fish -c \"source '\(dir)/dmesgscan.fish'; complete -C '\(line)'\""]).stdout
                return out.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
            }
            #expect(try complete("dmesgscan --format ") == ["text", "json", "ndjson", "junit", "prom", "kcidb", "sarif", "github", "tap", "html"])
            #expect(try complete("dmesgscan --fo").contains("--format"))
            #expect(try complete("dmesgscan -q --color ") == ["auto", "always", "never"])
            #expect(try complete("dmesgscan scan --color ") == ["auto", "always", "never"])
            #expect(try complete("dmesgscan me") == ["merge"])
            #expect(try complete("dmesgscan merge --").contains("--pretty"))
        } else {
            print("notice: fish is missing; skipping its completion check (scripts/setup --test installs it as root)")
        }
        if try runProgram("/bin/sh", ["-c", "command -v zsh"]).status == 0 {
            let made = try runProgram("/bin/sh", ["-c", "\(environment) '\(script)' zsh > '\(dir)/_dmesgscan'"])
            #expect(made.status == 0, "\(made.stderr)")
            let driver = """
                import os, pty, re, select, sys, time
                pid, fd = pty.fork()
                if pid == 0:
                    os.environ.update(PS1="> ", TERM="dumb")
                    os.execvp("zsh", ["zsh", "-f", "-i"])
                def read(seconds):
                    # Until the shell has been quiet for 1 s after answering, or `seconds`.
                    out, end = b"", time.time() + seconds
                    while time.time() < end:
                        if select.select([fd], [], [], 1.0)[0]:
                            try: out += os.read(fd, 65536)
                            except OSError: break
                        elif out:
                            break
                    return out.decode(errors="replace")
                os.write(fd, b"fpath=(%s $fpath); autoload -U compinit; compinit -u -D; zstyle ':completion:*' list-prompt ''; LISTMAX=1000; print SETUP''DONE\\n" % sys.argv[1].encode())
                # Until the shell has run the setup (a loaded machine takes seconds), not a fixed quiet gap.
                seen, end = "", time.time() + 30
                while "SETUPDONE" not in seen and time.time() < end:
                    seen += read(2)
                read(1)
                os.write(fd, sys.argv[2].encode() + b"\\t\\t")
                out = read(10)
                os.write(fd, b"\\x03exit\\n")
                print(re.sub(r"\\x1b\\[[0-9;?]*[A-Za-z]", "", out))
                """
            func listed(_ line: String) throws -> String {
                try runProgram("/usr/bin/env", ["python3", "-c", driver, dir, line]).stdout
            }
            let formats = try listed("dmesgscan --format ")
            #expect(["ndjson", "sarif", "junit", "tap"].allSatisfy(formats.contains), "zsh listed: \(formats)")
            #expect(try listed("dmesgscan --fo").contains("--format"))
            #expect(try listed("dmesgscan -q --color ").contains("always"))
            #expect(try listed("dmesgscan scan --junit-family ").contains("xunit2"))
        } else {
            print("notice: zsh is missing; skipping its completion check (scripts/setup --test installs it as root)")
        }
    }

    /// The flags users of grep and journalctl reach for: -q, -c, -b N (and -b -1), -p.
    @Test func quietCountBootAndPriorityWorkAsInGrepAndJournalctl() throws {
        let three = TestSupport.samplesDirectory + "/serial-console-three-boots.log"
        let refused = TestSupport.samplesDirectory + "/refused-7.0-next-util-linux.log"
        let quiet = try run(["-q", refused])
        #expect(quiet.status == 1 && quiet.stdout.isEmpty)
        #expect(try run(["-c", refused, three]).stdout == "\(refused):1\n\(three):3\n")
        func boots(_ arguments: [String]) throws -> [Int] {
            let out = try run(["--format", "json"] + arguments + [three]).stdout
            let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
            return ((json["inputs"] as! [[String: Any]])[0]["boots"] as! [[String: Any]]).map { $0["index"] as! Int }
        }
        #expect(try boots(["-b", "2"]) == [2])
        #expect(try boots(["-b", "-1"]) == [3])
        #expect(try boots(["--boot", "-3"]) == [1])
        #expect(try boots(["-b", "9"]) == [])
        #expect(try run(["-b", "0", three]).status == 64)
        // -p is --fail-level, in journalctl's and syslog's words too.
        #expect(try run(["-q", "-p", "crit", refused]).status == 0)
        #expect(try run(["-q", "--priority", "4", refused]).status == 1)
        #expect(try run(["-q", "--fail-level", "err", refused]).status == 1)
    }

    /// --since/--until as journalctl takes them: boots whose wall-clock span meets the window,
    /// findings inside it; a log without wall-clock times with a year is left out and named.
    @Test func sinceAndUntilPickBootsAndFindingsByWallClock() throws {
        let journal = TestSupport.samplesDirectory + "/journal-export.jsonl"  // 2026-06-08 and 2026-06-09, 09:40 UTC
        let syslog = TestSupport.samplesDirectory + "/syslog-and-dmesg-T.log"  // a year-less boot, then a dmesg -T one
        let monotonic = TestSupport.samplesDirectory + "/pass-7.1-caller-id.log"
        func picked(_ arguments: [String], _ inputs: [String]) throws -> (boots: [String: [Int]], findings: Int, stderr: String) {
            let run = try run(["--format", "json"] + arguments + inputs)
            #expect(run.status <= 1, "\(run.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
            var boots: [String: [Int]] = [:]
            var findings = 0
            for input in json["inputs"] as! [[String: Any]] {
                let list = input["boots"] as! [[String: Any]]
                boots[(input["path"] as! String).split(separator: "/").last.map(String.init)!] = list.map { $0["index"] as! Int }
                findings += list.reduce(0) { $0 + (($1["findings"] as? [Any])?.count ?? 0) }
            }
            return (boots, findings, run.stderr)
        }
        let all = try picked([], [journal])
        #expect(all.boots["journal-export.jsonl"] == [1, 2] && all.findings == 1)
        #expect(try picked(["--since", "2026-06-09"], [journal]).boots["journal-export.jsonl"] == [2])
        #expect(try picked(["--until", "2026-06-08T12:00:00Z"], [journal]).boots["journal-export.jsonl"] == [1])
        #expect(try picked(["--since", "2026-06-08T11:40:00+02:00", "--until", "2026-06-08 23:00:00Z"], [journal]).boots["journal-export.jsonl"] == [1])
        // Inside a boot: the refused free at .200001 s is before the window, so only the boot stays.
        let late = try picked(["--since", "@1780998000.2000085"], [journal])
        #expect(late.boots["journal-export.jsonl"] == [2] && late.findings == 0)
        let mixed = try picked(["--since", "2000-01-01"], [syslog, monotonic])
        #expect(mixed.boots["syslog-and-dmesg-T.log"] == [2] && mixed.boots["pass-7.1-caller-id.log"] == [])
        #expect(mixed.stderr.contains("pass-7.1-caller-id.log: 1 boot without wall-clock times"))
        #expect(mixed.stderr.contains("syslog-and-dmesg-T.log: 1 boot without wall-clock times"))
        // The relative forms parse; a bad time or an empty window is a usage error.
        for relative in ["now", "today", "yesterday", "-2h", "+30min", "3d ago", "2 hours ago"] {
            #expect(try run(["-q", "--until", relative, journal]).status != 64, "\(relative)")
        }
        #expect(try run(["--since", "last tuesday", journal]).status == 64)
        #expect(try run(["--since", "2026-13-01", journal]).status == 64)
        #expect(try run(["--since", "today", "--until", "yesterday", journal]).status == 64)
    }

    @Test func pipedStdinIsRead() throws {
        let text = String(decoding: TestSupport.readSample("fail-6.8-deferred.log"), as: UTF8.self)
        // A file on stdin is not a terminal, so no argument means stdin.
        let result = try run([], stdin: text)
        #expect(result.status == 0)
        #expect(result.stdout.contains("<stdin>: boot 1 (6.8.0-45-generic"))
        #expect(try run(["-"], stdin: text).stdout == result.stdout)
    }

    @Test func failLevelInfoCountsUnenforcedFailures() throws {
        #expect(try run(["--fail-level", "info", sample("fail-6.8-deferred.log")]).status == 1)
        #expect(try run(["--fail-level", "bogus", sample("fail-6.8-deferred.log")]).status == 64)
    }

    @Test func brokenInputIsReportedAndOthersStillScanned() throws {
        let gz = TestSupport.readSample("fail-6.8-deferred.log.gz")
        let cut = TestSupport.temporaryFile("cut.log.gz", Array(gz[0..<(gz.count * 2 / 3)]))
        let result = try run(["--format", "json", cut, "/nonexistent.log", sample("pass-7.1-caller-id.log")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("cut.log.gz: truncated gzip data at byte"))
        #expect(result.stderr.contains("/nonexistent.log: cannot open"))
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["schema"] as? String == "dmesgscan/1")
        let inputs = json["inputs"] as! [[String: Any]]
        #expect(inputs.map { $0["status"] as! String } == ["partial", "error", "ok"])
        #expect((inputs[0]["lines"] as! Int) > 0)
        let totals = json["totals"] as! [String: Any]
        #expect((totals["inputs"] as! [String: Int]) == ["ok": 1, "partial": 1, "error": 1])
    }

    @Test func jsonFollowsTheContract() throws {
        let result = try run(["--format", "json", sample("refused-7.0-next-util-linux.log")])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let boot = ((json["inputs"] as! [[String: Any]])[0]["boots"] as! [[String: Any]])[0]
        let invariant = (boot["invariants"] as! [[String: Any]]).first { $0["id"] as? String == "x86.smp-locks-after-page-alloc-init-late" }!
        #expect(invariant["id"] as? String == "x86.smp-locks-after-page-alloc-init-late")
        #expect(invariant["verdict"] as? String == "fail")
        #expect(invariant["enforced"] as? Bool == true)
        #expect(!(invariant["evidence"] as! [Any]).isEmpty)
        let finding = (boot["findings"] as! [[String: Any]])[0]
        #expect(finding["rule"] as? String == "report.warning-6.19")
        #expect(finding["title"] as? String == "WARNING in __free_reserved_area")
        #expect(finding["level"] as? String == "warning")
        #expect(finding["line"] as? Int == 8)
    }

    @Test func rulesSubcommands() throws {
        let test = try run(["rules", "test"])
        #expect(test.status == 0 && test.stdout.contains(", 0 failed"))
        let list = try run(["rules", "list"])
        #expect(list.stdout.contains("x86.smp-locks-after-page-alloc-init-late\tinvariant"))
    }

    @Test func badUserRuleIsAnErrorNamingTheFile() throws {
        let rule = TestSupport.temporaryFile("bad.yml", Array("rules:\n  - id: x\n    pattern: '(unclosed'\n".utf8))
        let result = try run(["--rules", rule, sample("pass-7.1-caller-id.log")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("bad.yml:3:"))
    }
}
