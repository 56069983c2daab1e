#if canImport(Glibc)
import Glibc
#endif

/// Splits inputs into N shards by a stable hash of their path made absolute and tidied
/// (FNV-1a, not Swift's seeded `Hasher`), so every machine computes the same split whatever
/// spelling it was given, without a system call for paths that are another shard's.
public enum ShardPicker {
    public static func pick(_ item: InputExpander.Item, index: Int, of count: Int) -> Bool {
        let path: String
        switch item {
        case .input(let location): path = location.displayName
        case .error(let name, _): path = name
        }
        return picks(path, index: index, of: count)
    }

    /// Whether shard `index` (from 0) of `count` takes `path`.
    public static func picks(_ path: String, index: Int, of count: Int) -> Bool {
        var hash = FNV1a64()
        hash.add(CanonicalPath.lexical(path))
        return Int(hash.value % UInt64(count)) == index
    }

    /// `--shard-by size`: the items of shard `index` (from 0) when the inputs are dealt out
    /// largest first, each to the shard with the fewest bytes so far (ties by path), which
    /// every machine computes alike from the same listing. Unsized items (errors, stdin) go by
    /// path hash.
    public static func bySize(_ items: [InputExpander.Item], index: Int, of count: Int) -> [InputExpander.Item] {
        var sized: [(item: InputExpander.Item, path: String, bytes: Int)] = []
        var picked: [InputExpander.Item] = []
        for item in items {
            guard case .input(.file(let path)) = item else {
                if pick(item, index: index, of: count) { picked.append(item) }
                continue
            }
            var info = stat()
            let bytes = stat(path, &info) == 0 ? Int(info.st_size) : 0
            sized.append((item, CanonicalPath.lexical(path), bytes))
        }
        sized.sort { ($0.bytes, $1.path) > ($1.bytes, $0.path) }
        var load = [Int](repeating: 0, count: count)
        var mine: [(path: String, item: InputExpander.Item)] = []
        for entry in sized {
            var target = 0
            for shard in 1..<max(count, 1) where load[shard] < load[target] { target = shard }
            load[target] += entry.bytes
            if target == index { mine.append((entry.path, entry.item)) }
        }
        // Back in listing order, as a path shard scans them.
        let order = Dictionary(items.enumerated().compactMap { offset, item -> (String, Int)? in
            if case .input(.file(let path)) = item { return (CanonicalPath.lexical(path), offset) }
            return nil
        }, uniquingKeysWith: { first, _ in first })
        return mine.sorted { (order[$0.path] ?? 0) < (order[$1.path] ?? 0) }.map(\.item) + picked
    }
}
