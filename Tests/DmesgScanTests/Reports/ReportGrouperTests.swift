import DmesgScan
import Testing

@Suite("Reports: grouping and titles")
struct ReportGrouperTests {
    @Test func warnWithMessageBeforeBannerIsOneReport() {
        let log = """
            [    0.1] [   T0] ------------[ cut here ]------------
            [    0.1] [   T0] missing return thunk: 0xffffffff9e445838-0xffffffff9e44583d: e9 00 00 00 00
            [    0.1] [   T0] WARNING: CPU: 0 PID: 0 at arch/x86/kernel/alternative.c:730 apply_returns+0xc0/0x241
            [    0.1] [   T0] Modules linked in:
            [    0.1] [   T0] RIP: 0010:apply_returns+0xc0/0x241
            [    0.1] [   T0] Call Trace:
            [    0.1] [   T0]  <TASK>
            [    0.1] [   T0]  alternative_instructions+0x3f/0x110
            [    0.1] [   T0]  arch_cpu_finalize_init+0x10f/0x160
            [    0.1] [   T0]  </TASK>
            [    0.1] [   T0] ---[ end trace 0000000000000000 ]---
            [    0.2] [   T0] pid_max: default: 32768 minimum: 301

            """
        let findings = TestSupport.scan(log).boots[0].findings
        #expect(findings.count == 1)
        let f = findings[0]
        #expect(f.title == "WARNING in apply_returns")
        #expect((f.line, f.endLine) == (1, 11))
        #expect(f.complete)
        #expect(f.frames == ["alternative_instructions", "arch_cpu_finalize_init"])
        #expect(f.guiltyFrame == "apply_returns")
    }

    @Test func srsoNoticeIsNotAWarningReport() {
        let log = "[    0.1] Speculative Return Stack Overflow: WARNING: See https://kernel.org/doc/html/latest/admin-guide/hw-vuln/srso.html for mitigation options.\n"
        #expect(TestSupport.scan(log).boots[0].findings.isEmpty)
    }

    @Test func interleavedLinesOfOtherTasksStayOut() {
        let log = """
            [    5.0][    T1] BUG: unable to handle page fault for address: ffffce1a005a0788
            [    5.0][   T42] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex
            [    5.0][    T1] Oops: 0000 [#1] SMP PTI
            [    5.0][    T1] RIP: 0010:__list_del_entry_valid_or_report+0x32/0xb0
            [    5.0][    T1] Call Trace:
            [    5.0][   T42] e1000e: eth0 more noise
            [    5.0][    T1]  __free_one_page+0x170/0x520
            [    5.0][    T1]  free_pcppages_bulk+0x151/0x1e0
            [    5.1][    T1] next unrelated line

            """
        let findings = TestSupport.scan(log).boots[0].findings
        #expect(findings.count == 1)
        #expect(findings[0].title == "BUG: unable to handle kernel paging request in __free_one_page")
        #expect(!findings[0].excerpt.contains { $0.text.contains("e1000e") })
        #expect(findings[0].endLine == 8)
    }

    @Test func oopsWithoutEndMarkerEndsAfterItsTrace() {
        let log = """
            [    1.0] BUG: Bad page state in process swapper/0  pfn:3d8e06
            [    1.0] page:ffffea46cf638180 refcount:0 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x3d8e06
            [    1.0] Call Trace:
            [    1.0]  <TASK>
            [    1.0]  dump_stack_lvl+0x49/0x5f
            [    1.0]  bad_page.cold+0x63/0x94
            [    1.0]  free_pages_prepare+0x2a1/0x3f0
            [    1.0]  memblock_free_late+0x2a1/0x3f0
            [    1.0]  </TASK>
            [    1.1] Disabling lock debugging due to kernel taint
            [    1.2] devtmpfs: initialized

            """
        let f = TestSupport.scan(log).boots[0].findings
        #expect(f.count == 1)
        // The page allocator's own frames are skipped: the caller that freed the page is named.
        #expect(f[0].title == "BUG: Bad page state in memblock_free_late")
        #expect(f[0].endLine == 9)
        #expect(!f[0].complete)
    }

    @Test func aPanicIsItsOwnCriticalFinding() {
        let log = """
            [    0.09] Kernel panic - not syncing: Attempted to kill the idle task!
            [    0.09] ---[ end Kernel panic - not syncing: Attempted to kill the idle task! ]---

            """
        let boot = TestSupport.scan(log).boots[0]
        #expect(boot.reached == .panic)
        #expect(boot.findings.map(\.title) == ["kernel panic: Attempted to kill the idle task!"])
        #expect(boot.findings[0].level == .critical)
    }
}

@Suite("Reports: titles and signatures")
struct ReportTitleTests {
    func finding(_ log: String) -> Finding { TestSupport.scan(log).boots[0].findings[0] }

    @Test func bothWarningFormatsGiveOneTitleSignatureAndId() {
        let old = finding("""
            [    0.02] WARNING: CPU: 0 PID: 0 at mm/memblock.c:904 __free_reserved_area+0xa9/0xc0
            [    0.02] RIP: 0010:__free_reserved_area+0xa9/0xc0
            [    0.02] ---[ end trace 0000000000000000 ]---

            """)
        let new = finding("""
            [    0.02] [   T0] WARNING: mm/memblock.c:904 at __free_reserved_area+0xa9/0xc0, CPU#3: swapper/0/0
            [    0.02] [   T0] RIP: 0010:__free_reserved_area+0xa9/0xc0
            [    0.02] [   T0] ---[ end trace 0000000000000000 ]---

            """)
        #expect(old.title == "WARNING in __free_reserved_area")
        #expect(old.title == new.title && old.signature == new.signature)
        #expect(old.lkpID == "WARNING:at_mm/memblock.c:#__free_reserved_area")
        #expect(old.lkpID == new.lkpID)
    }

    @Test func titlesCarryNoAddressesNumbersOrCPUs() {
        let f = finding("[   12.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b\n")
        #expect(f.title == "kernel panic: Attempted to kill init!")
        let v = finding("[   12.0] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n")
        #expect(v.title == "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)")
    }

    @Test func noFrameMeansCorrupted() {
        let f = finding("[    5.0] BUG: unable to handle page fault for address: ffffce1a005a0788\n[    5.0] next\n")
        #expect(f.title == "BUG: unable to handle kernel paging request in corrupted")
        #expect(f.corrupted)
    }

    @Test func kasanTitleTakesTheAccessFromTheNextLine() {
        let f = finding("""
            ==================================================================
            BUG: KASAN: slab-use-after-free in ext4_xattr_set_entry+0x1d4/0x2a0
            Read of size 8 at addr ffff888012345678 by task kworker/0:1/12
            Call Trace:
             dump_stack_lvl+0x49/0x5f
             kasan_report+0xba/0xf0
             ext4_xattr_set_entry+0x1d4/0x2a0
            ==================================================================

            """)
        #expect(f.title == "KASAN: slab-use-after-free Read in ext4_xattr_set_entry")
    }

    @Test func compilerSuffixesAndSyscallPrefixesAreStripped() {
        let f = finding("""
            BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283
            Call Trace:
             __might_resched.cold+0x1e/0x2e
             do_thing.isra.0+0x12/0x40
             __x64_sys_ioctl+0x90/0xd0
             SyS_read+0x90/0xd0

            """)
        #expect(f.title == "BUG: sleeping function called from invalid context in do_thing")
        // syzkaller's prefixes come off once each, in order: `__x64_` leaves `sys_ioctl`.
        #expect(f.frames.suffix(2) == ["sys_ioctl", "read"])
    }

    /// real_reports.txt §D: the RIP is a list-debug helper; the guilty frame is the allocator.
    @Test func realBuddyFaultExcerptNamesTheAllocator() throws {
        guard let excerpt = TestSupport.realReportsExcerpt(from: "BUG: unable to handle page fault for address: ffffce1a005a0788", to: "memblock_free_late+") else { return }
        let f = finding(excerpt)
        #expect(f.title == "BUG: unable to handle kernel paging request in __free_one_page")
        #expect(f.guiltyFrame != "__list_del_entry_valid_or_report")
    }
}
