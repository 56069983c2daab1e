#if canImport(Glibc)
import Glibc
#endif

/// The CPUs this process may use: those of its affinity mask, and no more than its cgroup's
/// CPU quota allows (cgroup v2 `cpu.max`, v1 `cpu.cfs_quota_us`), as a container or a
/// Kubernetes pod with a CPU limit sets them. The machine's core count is only the fallback.
public enum AvailableCPUs {
    public static var count: Int {
        var cpus = affinityCount() ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let quota = cgroupQuota() { cpus = min(cpus, quota) }
        return max(1, cpus)
    }

    /// The affinity mask as the kernel reports it (`Cpus_allowed_list:\t0-3,8`): Glibc's
    /// module does not export sched_getaffinity (it needs _GNU_SOURCE).
    static func affinityCount() -> Int? {
        guard let status = read("/proc/self/status") else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return nil }
        return count(cpuList: String(line.dropFirst("Cpus_allowed_list:".count)))
    }

    /// `0-3,8` → 5.
    public static func count(cpuList text: String) -> Int? {
        var total = 0
        for range in text.split(separator: ",") {
            let bounds = range.split(separator: "-").map { Int($0.filter { !$0.isWhitespace }) }
            switch bounds.count {
            case 1: guard bounds[0] != nil else { return nil }; total += 1
            case 2: guard let low = bounds[0], let high = bounds[1], high >= low else { return nil }; total += high - low + 1
            default: return nil
            }
        }
        return total > 0 ? total : nil
    }

    /// CPUs the quota allows, rounded up (1.5 CPUs of quota keep two workers busy enough).
    static func cgroupQuota(root: String = "/sys/fs/cgroup") -> Int? {
        if let max = firstLine(root + "/cpu.max") {
            return quota(cpuMax: max)
        }
        if let quota = firstLine(root + "/cpu/cpu.cfs_quota_us").flatMap({ Int($0) }), quota > 0,
           let period = firstLine(root + "/cpu/cpu.cfs_period_us").flatMap({ Int($0) }), period > 0 {
            return (quota + period - 1) / period
        }
        return nil
    }

    /// `200000 100000` → 2; `max 100000` → nil (no limit).
    public static func quota(cpuMax text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let quota = Int(parts[0]), let period = Int(parts[1]), quota > 0, period > 0 else { return nil }
        return (quota + period - 1) / period
    }

    private static func read(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        guard FileDescriptorRead.toEnd(fd, appendingTo: &bytes), !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func firstLine(_ path: String) -> String? {
        read(path).flatMap { $0.split(separator: "\n").first.map(String.init) }
    }
}
