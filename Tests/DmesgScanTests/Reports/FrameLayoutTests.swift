import DmesgScan
import Testing

/// Where the guilty frame comes from, per layout and class (rules/frames.yml, the `stack:`
/// of each banner rule): the mechanisms, each on a minimal report written here.
@Suite("Reports: frame layouts and stack plans")
struct FrameLayoutTests {
    func first(_ log: String) -> Finding? { TestSupport.scan(log).boots.first?.findings.first }

    @Test func panicOnWarnJoinsTheWarningAndTheTraceAfterTheRipNamesIt() {
        let f = first("""
            [   85.1] WARNING: CPU: 1 PID: 9436 at mm/slab.h:473 kfree+0x1cf/0x2b0
            [   85.1] Kernel panic - not syncing: panic_on_warn set ...
            [   85.1] Call Trace:
            [   85.1]  dump_stack+0x188/0x20d
            [   85.1]  panic+0x2e3/0x75c
            [   85.1]  __warn.cold+0x2f/0x35
            [   85.1]  report_bug+0x27b/0x2f0
            [   85.1] RIP: 0010:kfree+0x1cf/0x2b0
            [   85.1] RSP: 0018:ffffc900020e7030 EFLAGS: 00010082
            [   85.1]  tcf_exts_destroy+0x62/0xc0
            [   85.1]  tcf_exts_change+0xf4/0x150

            """)
        #expect(f?.title == "WARNING in tcf_exts_destroy")
    }

    @Test func oldRipLayoutAndStrayConsoleLinesBetweenFrames() {
        let f = first("""
            [ 1021.3] general protection fault: 0000 [#1] SMP KASAN
            [ 1021.3] RIP: 0010:[<ffffffff83408ca0>]  [<ffffffff83408ca0>] memset+0x190/0x290
            [ 1021.3] Call Trace:
            [ 1021.3]  [<ffffffff81234567>] ? unrelated_helper+0x1/0x2
            executing program 3:
            mmap(&(0x7f0000000000/0x1000)=nil, 0x1000, 0x3, 0x32, 0xffffffffffffffff, 0x0)
            [ 1021.3]  [<ffffffff81234567>] drm_legacy_newctx+0x1/0x2

            """)
        #expect(f?.title == "general protection fault in drm_legacy_newctx")
    }

    @Test func armFramesNameTheirCaller() {
        let f = first("""
            [ 9080.4] Unhandled fault: page domain fault (0x01b) at 0x00000e30
            [ 9080.4] PC is at __sanitizer_cov_trace_pc+0x4c/0x78
            [ 9080.4] Backtrace:
            [ 9080.4] [<802b3ffc>] (__sanitizer_cov_trace_pc) from [<802e1324>] (trace_hardirqs_off+0x6c/0x120)
            [ 9080.4] [<802e12b8>] (trace_hardirqs_off) from [<80100a74>] (__dabt_svc+0x54/0xa0)

            """)
        #expect(f?.title == "Unhandled fault in __dabt_svc")
    }

    @Test func lockdepTakesTheLockSite() {
        let f = first("""
            [   75.0] ======================================================
            [   75.0] WARNING: possible circular locking dependency detected
            [   75.0] syz-executor7/8848 is trying to acquire lock:
            [   75.0]  (console_lock){+.+.}, at: [<000000001c8cd30e>] vcs_read+0x129/0xae0
            [   75.0] but task is already holding lock:
            [   75.0]  (&pipe->mutex/1){+.+.}, at: [<00000000dd7fc330>] pipe_lock+0x56/0x70
            [   75.0] stack backtrace:
            [   75.0] Call Trace:
            [   75.0]  dump_stack+0x1/0x2
            [   75.0]  pipe_lock+0x56/0x70

            """)
        #expect(f?.title == "possible deadlock in vcs_read")
        #expect(f?.frames.contains("vcs_read") == false)  // lock sites are not call-trace frames
    }

    @Test func stallsAreNamedByTheFrameAboveTheDispatcher() {
        let f = first("""
            [  281.7] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [syz-executor:3996]
            [  281.7] RIP: 0010:d_walk+0x840/0xc80
            [  281.7] Call Trace:
            [  281.7]  shrink_dcache_parent+0x1/0x2
            [  281.7]  vfs_rmdir+0x202/0x470
            [  281.7]  do_rmdir+0x523/0x610
            [  281.7]  __x64_sys_rmdir+0x36/0x40
            [  281.7]  do_syscall_64+0x1b1/0x800
            [  281.7]  entry_SYSCALL_64_after_hwframe+0x49/0xbe

            """)
        #expect(f?.title == "BUG: soft lockup in sys_rmdir")
    }

    @Test func hungTasksWaitingOnRcuAreOneBug() {
        let f = first("""
            [  500.0] INFO: task kworker/0:1:12 blocked for more than 143 seconds.
            [  500.0] Call Trace:
            [  500.0]  __schedule+0x1/0x2
            [  500.0]  schedule+0x1/0x2
            [  500.0]  __synchronize_srcu+0x1/0x2
            [  500.0]  cleanup_net+0x1/0x2

            """)
        #expect(f?.title == "INFO: task hung in synchronize_rcu")
    }

    @Test func aWarningWithNoFrameIsCorrupted() {
        let f = first("[   50.5] WARNING: CPU: 2 PID: 2636 at ipc/shm.c:162 shm_open.isra.5.part.6+0x74/0x80\n[   50.5] Modules linked in:\n")
        #expect(f?.title == "WARNING in corrupted")
        #expect(f?.corrupted == true)
    }

    @Test func repeatsAreFoldedInTextAndKeptInJSON() {
        let one = "[    2.0] BUG: Bad page state in process swapper/0  pfn:40400\n[    2.0] Call Trace:\n[    2.0]  free_pages_prepare+0x1/0x2\n[    2.0]  memblock_free_late+0x1/0x2\n"
        let result = TestSupport.scan(String(repeating: one, count: 3))
        #expect(result.boots[0].findings.count == 3)
        let text = TextReport().boot(result.boots[0], input: "x.log")
        #expect(text.contains("BUG: Bad page state in memblock_free_late ×3, lines 1-12"))
    }

    @Test func terminalEscapesInTheLogAreEscapedInText() {
        let result = TestSupport.scan("[    1.0] Linux version 6.8.0\u{1B}]0;title\u{07} (a@b)\n")
        let text = TextReport().boot(result.boots[0], input: "x\u{1B}[2J.log")
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(text.contains("x\\x1b[2J.log"))
    }
}
