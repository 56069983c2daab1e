/// Splits inputs into N shards by a stable hash of their canonical path (FNV-1a, not Swift's
/// seeded `Hasher`), so every machine computes the same split whatever spelling it was given.
public enum ShardPicker {
    public static func pick(_ item: InputExpander.Item, index: Int, of count: Int) -> Bool {
        let path: String
        switch item {
        case .input(let location): path = location.displayName
        case .error(let name, _): path = name
        }
        var hash = FNV1a64()
        hash.add(CanonicalPath.of(path))
        return Int(hash.value % UInt64(count)) == index
    }
}
