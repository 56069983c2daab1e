import DmesgScan
import Foundation
import Testing

@Suite("Ordering: the smp_locks invariant")
struct InvariantTests {
    static let id = "x86.smp-locks-after-page-alloc-init-late"

    func verdict(_ log: String) -> InvariantVerdict {
        TestSupport.scan(log).boots[0].invariants.first { $0.id == InvariantTests.id }!
    }

    func boot(_ version: String, _ body: String) -> String {
        "[    0.000000] Linux version \(version) (b@h) (gcc) #1 SMP\n" + body
    }

    @Test func earlyFreeOnAFixedKernelIsAnEnforcedFailure() {
        let v = verdict(boot("7.1.3", """
            [    0.05] Freeing SMP alternatives memory: 44K
            [    0.08] smp: Bringing up secondary CPUs ...
            [    0.09] smp: Brought up 1 node, 4 CPUs

            """))
        #expect(v.outcome == .fail && v.enforced && v.level == .error)
        #expect(v.evidence.map(\.role) == ["event", "anchor-before"])
    }

    @Test func earlyFreeOnAnOldKernelWithoutDeferredInitIsNoHazard() {
        let v = verdict(boot("5.4.0", """
            [    0.05] Freeing SMP alternatives memory: 32K
            [    0.08] smp: Brought up 1 node, 4 CPUs

            """))
        #expect(v.outcome == .fail && !v.enforced && v.level == .info && !v.latentHazard)
    }

    @Test func oldDeferredWordingIsAHazardToo() {
        let v = verdict(boot("5.4.0", """
            [    0.05] Freeing SMP alternatives memory: 32K
            [    0.08] smp: Brought up 1 node, 4 CPUs
            [    0.20] node 0 initialised, 32439114 pages in 97ms

            """))
        #expect(v.outcome == .fail && v.latentHazard)
    }

    @Test func memoryLineClosesPageAllocInitLateOnlyFrom611() {
        let body = """
            [    0.10] Memory: 16161104K/16776692K available (16384K kernel code)
            [    0.12] Freeing SMP alternatives memory: 44K

            """
        #expect(verdict(boot("6.12.1", body)).outcome == .pass)
        #expect(verdict(boot("6.10.9", body)).outcome == .unknown)
        // Without a version the anchor cannot be placed.
        #expect(verdict(body).outcome == .unknown)
    }

    @Test func noFreeIsNotApplicableAndExcerptIsUnknown() {
        #expect(verdict(boot("6.6.0", "[    0.1] devtmpfs: initialized\n")).outcome == .notApplicable)
        #expect(verdict("[    0.1] Freeing SMP alternatives memory: 40K\n").outcome == .unknown)
    }

    /// real_reports.txt §A, in its caller-id format, read in place.
    @Test func realWarnExcerptFailsEnforced() throws {
        guard let excerpt = TestSupport.realReportsExcerpt(from: "[      T0] ------------[ cut here ]", to: "---[ end trace") else { return }
        let boot = TestSupport.scan(excerpt).boots[0]
        let v = boot.invariants.first { $0.id == InvariantTests.id }!
        #expect(v.outcome == .fail && v.enforced)
        #expect(v.evidence.contains { $0.text.contains("alternative_instructions") })
        let warn = try #require(boot.findings.first)
        #expect(warn.title == "WARNING in __free_reserved_area")
        #expect(warn.frames.contains("alternative_instructions"))
        #expect(warn.invariants.contains(InvariantTests.id))
    }
}
