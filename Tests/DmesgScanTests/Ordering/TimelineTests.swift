import DmesgScan
import Foundation
import Testing

/// Phases, taint changes and lost lines: placed by the rules' `phase:`, `taint:` and
/// `lost_lines:` marks, in record order, bounded whatever the log holds.
@Suite("Ordering: the boot's timeline")
struct TimelineTests {
    @Test func phasesComeInRecordOrderWithTheirAnchorLines() throws {
        let boot = try #require(TestSupport.scan(String(decoding: TestSupport.readSample("fail-6.8-deferred.log"), as: UTF8.self)).boots.first)
        let phases = boot.timeline.phases
        #expect(phases.map(\.name) == ["start_kernel", "setup_arch", "mm_core_init", "smp_init", "page_alloc_init_late",
                                       "do_basic_setup", "rootfs_initcall", "free_initmem", "userspace"])
        #expect(zip(phases, phases.dropFirst()).allSatisfy { $0.line < $1.line })
        let late = try #require(phases.first { $0.name == "page_alloc_init_late" })
        #expect(late.durationMs == 20 && late.timestamp == 0.247833)
        // Findings and verdict evidence carry their phase.
        let verdict = try #require(boot.invariants.first { $0.id == "x86.smp-locks-after-page-alloc-init-late" })
        #expect(verdict.evidence.contains { $0.phase == "smp_init" || $0.phase == "mm_core_init" })
    }

    /// From 6.11 the `Memory:` line is printed by page_alloc_init_late, before that by mm_core_init.
    @Test func theMemoryLineIsAPhaseOfItsKernel() throws {
        func phases(_ release: String) -> [String] {
            let log = "[    0.000000] Linux version \(release) (a@b) #1 SMP\n[    0.100000] Memory: 100K/200K available (1K kernel code)\n"
            return TestSupport.scan(log).boots.first?.timeline.phases.map(\.name) ?? []
        }
        #expect(phases("6.8.0") == ["start_kernel", "mm_core_init"])
        #expect(phases("6.12.0") == ["start_kernel", "page_alloc_init_late"])
    }

    @Test func taintChangesNameTheReportBefore() throws {
        let log = """
            [    0.000000] Linux version 6.12.0 (a@b) #1 SMP
            [    1.000000] ------------[ cut here ]------------
            [    1.000001] WARNING: CPU: 0 PID: 1 at drivers/x.c:10 foo_probe+0x1/0x2
            [    1.000002] CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.0 #1
            [    1.000003] Call Trace:
            [    1.000004]  foo_probe+0x1/0x2
            [    1.000005] ---[ end trace 0000000000000000 ]---
            [    2.000000] BUG: unable to handle page fault for address: ffff888000000000
            [    2.000001] CPU: 1 UID: 0 PID: 7 Comm: kworker/1:0 Tainted: G        W          6.12.0 #1
            [    2.000002] RIP: 0010:bar_work+0x10/0x20
            [    2.000003] Call Trace:
            [    2.000004]  bar_work+0x10/0x20
            [    2.000005] ---[ end trace 0000000000000000 ]---
            [    3.000000] CPU: 1 UID: 0 PID: 7 Comm: kworker/1:0 Tainted: G      D W          6.12.0 #1

            """
        let boot = try #require(TestSupport.scan(log).boots.first)
        let changes = boot.timeline.taint
        #expect(changes.map(\.added) == ["W", "D"])
        #expect(changes.map(\.line) == [9, 14])
        let causes = changes.map { $0.cause.map { boot.findings[$0].title } }
        #expect(causes[0] == "WARNING in foo_probe")
        #expect(causes[1]?.hasPrefix("BUG: unable to handle") == true)
    }

    @Test func lostLinesMarkWhatTheySpan() throws {
        let log = """
            [    0.000000] Linux version 6.12.0 (a@b) #1 SMP
            [    1.000000] ------------[ cut here ]------------
            [    1.000001] WARNING: CPU: 0 PID: 1 at drivers/x.c:10 foo_probe+0x1/0x2
            [    1.000002] Call Trace:
            [    1.000003] ** 1133 printk messages dropped **
            [    1.000004]  foo_probe+0x1/0x2
            [    1.000005] ---[ end trace 0000000000000000 ]---
            [    2.000000] show_signal_msg: 26 callbacks suppressed
            [    3.000000] ------------[ cut here ]------------
            [    3.000001] WARNING: CPU: 0 PID: 1 at drivers/y.c:10 bar_probe+0x1/0x2
            [    3.000002] Call Trace:
            [    3.000004]  bar_probe+0x1/0x2
            [    3.000005] ---[ end trace 0000000000000000 ]---

            """
        let boot = try #require(TestSupport.scan(log).boots.first)
        #expect(boot.timeline.gapCount == 2 && boot.timeline.linesLost == 1159)
        #expect(boot.findings.map(\.possiblyIncomplete) == [true, false])
    }

    /// A boot of 200,000 WARN reports keeps one taint change and a thousand gap notices.
    @Test func theTimelineStaysBoundedWhateverTheLogHolds() throws {
        var log = "[    0.000000] Linux version 6.12.0 (a@b) #1 SMP\n"
        for i in 0..<200_000 {
            log += "[    1.\(i)] CPU: 0 UID: 0 PID: 1 Comm: x Tainted: G        W          6.12.0 #1\n"
            log += "[    1.\(i)] show_signal_msg: 1 callbacks suppressed\n"
        }
        let boot = try #require(TestSupport.scan(log).boots.first)
        #expect(boot.timeline.taint.count == 1)
        #expect(boot.timeline.gaps.count == BootTimelineEvents.maxGaps && boot.timeline.gapCount == 200_000)
    }

    /// Every boot of the corpus: phases in record order, and userspace among them wherever the
    /// boot reached it; the deferred-init duration wherever the boot deferred.
    @Test func everyCorpusBootHasItsPhasesInRecordOrder() throws {
        guard let logs = CorpusTests.logs(), !logs.isEmpty else {
            print("notice: \(CorpusTests.bootX86) is absent; skipping the corpus timeline test")
            return
        }
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        var boots = 0, withDeferred = 0, reachedUserspace = 0
        for path in logs {
            for boot in scanner.scan(.file(path)).boots {
                boots += 1
                let phases = boot.timeline.phases
                #expect(zip(phases, phases.dropFirst()).allSatisfy { $0.line <= $1.line }, "\(path) boot \(boot.index + 1)")
                if boot.reached == .userspace {
                    reachedUserspace += 1
                    #expect(phases.contains { $0.name == "userspace" }, "\(path) boot \(boot.index + 1)")
                }
                if phases.contains(where: { $0.name == "page_alloc_init_late" && $0.durationMs != nil }) { withDeferred += 1 }
            }
        }
        print("corpus timeline: \(boots) boots, \(reachedUserspace) reached userspace, \(withDeferred) with a deferred-init duration")
        #expect(withDeferred >= 107)
    }
}
