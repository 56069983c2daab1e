/// A growable run of bytes appended with `memcpy`: `Array.append(contentsOf:)` cost about 90
/// instructions a call (reserving, then copying through the generic path), and the JSON
/// writer makes one for every key and every string. A value type: a copy shares the bytes
/// until one of them appends (copy on write).
struct ByteBuffer: ByteSink {
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        var count = 0
        var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        func copy() -> Storage {
            let copy = Storage(capacity: capacity)
            copy.base.update(from: base, count: count)
            copy.count = count
            return copy
        }

        func grow(toHold needed: Int) {
            let newCapacity = max(needed, capacity * 2)
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }
    }

    private var storage: Storage

    init(capacity: Int = 4096) { storage = Storage(capacity: capacity) }

    var count: Int { storage.count }

    /// Room for `extra` more bytes in storage this value alone holds.
    @inline(__always) private mutating func reserve(_ extra: Int) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        if storage.count &+ extra > storage.capacity { storage.grow(toHold: storage.count &+ extra) }
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        reserve(1)
        storage.base[storage.count] = byte
        storage.count &+= 1
    }

    @inline(__always) mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (storage.base + storage.count).update(from: source, count: bytes.count)
        storage.count &+= bytes.count
    }

    /// The bytes as a String (checked as UTF-8, as `String(decoding:)` does), then emptied.
    mutating func takeString() -> String {
        reserve(0)
        let text = String(decoding: UnsafeBufferPointer(start: storage.base, count: storage.count), as: UTF8.self)
        storage.count = 0
        return text
    }
}
