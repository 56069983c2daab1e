import DmesgScan
import Testing

@Suite("Ordering: NUMA, correlation and the other shipped invariants")
struct MoreInvariantTests {
    func verdict(_ id: String, _ log: String) -> (InvariantVerdict, BootResult) {
        let boot = TestSupport.scan(log).boots[0]
        return (boot.invariants.first { $0.id == id }!, boot)
    }

    let banner = "[    0.000000] Linux version 7.1.0 (b@h) (gcc) #1 SMP\n"
    let nodes = """
        [    0.000000] NODE_DATA(0) allocated [mem 0x83ffd5000-0x83fffffff]
        [    0.000000] NODE_DATA(1) allocated [mem 0x103ffd5000-0x103fffffff]

        """

    @Test func freeAfterEveryDeferringNodeIsAPass() {
        let (v, _) = verdict("x86.smp-locks-after-page-alloc-init-late", banner + nodes + """
            [    0.20][  T593] node 1 deferred pages initialised in 257ms
            [    0.20][  T592] node 0 deferred pages initialised in 257ms
            [    0.30][    T1] Freeing SMP alternatives memory: 40K

            """)
        #expect(v.outcome == .pass && v.enforced)
        #expect(v.nodesSeen == [0, 1] && v.nodesDeferred == [0, 1])
        #expect(v.evidence.contains { $0.role == "nodes" && $0.text.contains("0, 1") })
    }

    @Test func freeBeforeTheLastNodeFinishedIsAFailure() {
        let (v, _) = verdict("x86.smp-locks-after-page-alloc-init-late", banner + nodes + """
            [    0.20][  T592] node 0 deferred pages initialised in 100ms
            [    0.25][    T1] Freeing SMP alternatives memory: 40K
            [    0.30][  T593] node 1 deferred pages initialised in 257ms

            """)
        #expect(v.outcome == .fail && v.enforced)
    }

    @Test func anEarlyFreeExplainsABuddyFaultInTheSameBoot() {
        let (v, boot) = verdict("x86.smp-locks-after-page-alloc-init-late", banner + """
            [    0.05] Freeing SMP alternatives memory: 40K
            [    0.07] BUG: unable to handle page fault for address: ffffce1a005a0788
            [    0.07] RIP: 0010:__list_del_entry_valid_or_report+0x32/0xb0
            [    0.07] Call Trace:
            [    0.07]  __free_one_page+0x170/0x520
            [    0.07]  free_pcppages_bulk+0x151/0x1e0
            [    0.07] ---[ end trace 0000000000000000 ]---
            [    0.09] smp: Bringing up secondary CPUs ...

            """)
        #expect(v.outcome == .fail)
        #expect(v.relatedFindings == [0])
        #expect(boot.findings[0].invariants.contains("x86.smp-locks-after-page-alloc-init-late"))
    }

    @Test func anyRefusedCallerIsNamed() {
        // real_reports.txt §E: housekeeping_init.
        let (v, boot) = verdict("mm.free-reserved-area-refused", banner + """
            [    0.02] ------------[ cut here ]------------
            [    0.02] Cannot free reserved memory because of deferred initialization of the memory map
            [    0.02] WARNING: mm/memblock.c:904 at __free_reserved_area+0xde/0xf0, CPU#0: swapper/0/0
            [    0.02] Call Trace:
            [    0.02]  memblock_phys_free+0xe4/0x120
            [    0.02]  housekeeping_init+0x149/0x170
            [    0.02]  start_kernel+0x5b6/0x800
            [    0.02] ---[ end trace 0000000000000000 ]---
            [    0.30] node 0 deferred pages initialised in 20ms

            """)
        #expect(v.outcome == .fail && v.enforced && v.level == .error)
        #expect(v.message.contains("caller: housekeeping_init"))
        #expect(boot.findings[0].invariants == ["mm.free-reserved-area-refused"])
        // The same WARN from another caller is not the smp_locks invariant's refusal.
        let smp = boot.invariants.first { $0.id == "x86.smp-locks-after-page-alloc-init-late" }!
        #expect(smp.outcome == .notApplicable)
    }

    @Test func initrdAndInitmemAfterPageAllocInitLate() {
        let (initrd, boot) = verdict("mm.initrd-after-page-alloc-init-late", banner + """
            [    0.10] node 0 deferred pages initialised in 20ms
            [    0.11] devtmpfs: initialized
            [    0.40] Freeing initrd memory: 31284K
            [    0.69] Freeing unused kernel image (initmem) memory: 4300K
            [    0.70] Run /init as init process

            """)
        #expect(initrd.outcome == .pass)
        #expect(boot.invariants.first { $0.id == "mm.initmem-after-page-alloc-init-late" }!.outcome == .pass)
        let (old, _) = verdict("mm.initmem-after-page-alloc-init-late", "[    0.000000] Linux version 4.14.0 (b@h)\n[    0.30] Freeing unused kernel memory: 1234K\n[    0.40] smp: Brought up 1 node, 2 CPUs\n")
        #expect(old.outcome == .fail)
    }

    @Test func aBootThatRebootsBeforeUserspaceFails() {
        let log = banner + "[    0.50] Console: colour VGA+ 80x25\n" + banner + "[    0.70] Run /init as init process\n"
        let result = TestSupport.scan(log)
        let first = result.boots[0].invariants.first { $0.id == "boot.reached-userspace" }!
        let second = result.boots[1].invariants.first { $0.id == "boot.reached-userspace" }!
        #expect(first.outcome == .fail && second.outcome == .pass)
        let cut = TestSupport.scan(banner + "[    0.50] Console: colour VGA+ 80x25\n").boots[0].invariants.first { $0.id == "boot.reached-userspace" }!
        #expect(cut.outcome == .unknown)
    }
}

@Suite("Ordering: invariants written by users")
struct UserInvariantTests {
    /// An invariant that names a report by its title: no KASAN report before userspace.
    @Test func anInvariantCanSelectReportsByTitle() throws {
        var loader = TestSupport.shippedRules
        try loader.load(yaml: """
            invariants:
              - id: lab.no-early-kasan
                title: No KASAN report before userspace
                event: {title: '/^KASAN: /'}
                after: userspace_started
                level: error
                messages: {pass: 'KASAN only after userspace.', fail: 'KASAN report before userspace.'}
            rules:
              - id: lab.userspace-anchor
                pattern: '^Run /\\S+ as init process'
                # "Run /init" is the milestone itself: printed at the instant, so both sides.
                anchors: [{milestone: userspace_started, side: after}, {milestone: userspace_started, side: before}]
            """, file: "lab.yml")
        let rules = try RuleSet(loader)
        let log = """
            [    0.000000] Linux version 6.12.0 (a@b)
            [    1.0] BUG: KASAN: slab-use-after-free in foo_init+0x1d4/0x2a0
            [    1.0] Write of size 8 at addr ffff888012345678 by task swapper/0/1
            [    1.0] Call Trace:
            [    1.0]  foo_init+0x1d4/0x2a0
            [    2.0] Run /init as init process

            """
        var source = MemorySource(Array(log.utf8))
        let result = InputScanner(rules: rules).scan(source: &source, name: "lab.log")
        let verdict = try #require(result.boots[0].invariants.first { $0.id == "lab.no-early-kasan" })
        #expect(verdict.outcome == .fail)
        #expect(verdict.evidence.contains { $0.role == "event" && $0.text.contains("BUG: KASAN") })
    }
}
