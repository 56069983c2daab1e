#if canImport(Glibc)
import Glibc
#endif

/// "inputs done/total, MB/s, ETA" on stderr, rewritten in place; never on stdout.
final class ProgressMeter {
    private let total: Int
    private let enabled: Bool
    private var done = 0
    private var bytes = 0
    private let start = ProgressMeter.now()
    private var lastDraw = 0.0

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && total > 1
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func advance(bytes more: Int) {
        done += 1
        bytes += more
        guard enabled else { return }
        let now = ProgressMeter.now()
        if now - lastDraw < 0.2 && done < total { return }
        lastDraw = now
        let elapsed = max(now - start, 1e-6)
        let rate = Double(bytes) / elapsed / 1e6
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        Console.errRaw("\r\(done)/\(total) inputs, \(Int(rate)) MB/s, ETA \(Int(eta.rounded())) s   ")
    }

    func finish() {
        if enabled { Console.errRaw("\n") }
    }
}
