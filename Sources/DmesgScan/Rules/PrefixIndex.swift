/// Finds, in one table lookup, the rules whose match must start with the message's first
/// bytes. Most kernel rules are anchored (`^Freeing `, `^WARNING: `), so this replaces a
/// scan of the whole line with one 4-byte load per record. May report a rule whose full
/// prefix does not match (it is checked); never misses one.
public struct PrefixIndex: Sendable {
    struct Entry: Sendable {
        var prefix: [UInt8]
        var rule: Int
    }
    private var keys: [UInt32]
    private var slots: [Int32]
    private var lists: [[Entry]] = []
    private let mask: Int

    public init(_ prefixes: [(prefix: [UInt8], rule: Int)]) {
        var byKey: [UInt32: [Entry]] = [:]
        for (prefix, rule) in prefixes where prefix.count >= 4 {
            let key = prefix.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
            byKey[key, default: []].append(Entry(prefix: prefix, rule: rule))
        }
        var size = 16
        while size < byKey.count * 4 { size *= 2 }
        mask = size - 1
        keys = [UInt32](repeating: 0, count: size)
        slots = [Int32](repeating: -1, count: size)
        for (key, entries) in byKey.sorted(by: { $0.key < $1.key }) {
            var slot = PrefixIndex.hash(key) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            slots[slot] = Int32(lists.count)
            lists.append(entries)
        }
    }

    @inline(__always) static func hash(_ key: UInt32) -> Int { Int((key &* 0x9E37_79B1) >> 16) }

    public var isEmpty: Bool { lists.isEmpty }

    /// Calls `found` with each rule whose prefix the message starts with.
    @inline(__always)
    public func forEachRule(startingWith message: UnsafeRawBufferPointer, _ found: (Int) -> Void) {
        guard message.count >= 4, let base = message.baseAddress else { return }
        let key = base.loadUnaligned(as: UInt32.self)
        var slot = PrefixIndex.hash(key) & mask
        while true {
            let list = slots[slot]
            if list < 0 { return }
            if keys[slot] == key {
                for entry in lists[Int(list)] where entry.prefix.count <= message.count {
                    let equal = entry.prefix.withUnsafeBytes { memcmp(base, $0.baseAddress!, entry.prefix.count) == 0 }
                    if equal { found(entry.rule) }
                }
                return
            }
            slot = (slot + 1) & mask
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
