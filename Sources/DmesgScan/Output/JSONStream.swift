/// Writes one JSON document piece by piece, byte for byte as `JSONValue.serialized` writes
/// it whole, so a document too large to hold can be streamed.
struct JSONStream {
    let pretty: Bool
    /// How many containers are open.
    private var depth = 0
    /// Members written so far in the innermost open container. Kept apart from the counts
    /// of the containers around it (`outer`), which change only when one opens or closes:
    /// each member read and wrote the array's last element, two bounds checks and a
    /// uniqueness check every time.
    private var innermost = 0
    /// The member counts of the containers around the innermost one (and one for the top
    /// level), outermost first.
    private var outer: [Int] = []
    private var out = ByteBuffer()

    init(pretty: Bool) { self.pretty = pretty }

    /// A stream that writes the members of a container `depth` levels down, whose opening
    /// is written by another stream (text kept aside, then spliced in between).
    init(pretty: Bool, depth: Int) {
        self.pretty = pretty
        self.depth = depth
        outer = Array(repeating: 0, count: depth)
    }

    /// Counts `count` members of the innermost container written by another stream.
    mutating func wrote(_ count: Int) {
        innermost += count
    }

    /// Opens `{` or `[`, as a member named `key` of the open object.
    mutating func open(_ bracket: String, key: StaticString? = nil) {
        member(key)
        out.append(bracket.utf8.first!)
        outer.append(innermost)
        innermost = 0
        depth += 1
    }

    mutating func value(_ value: JSONValue, key: StaticString? = nil) {
        member(key)
        write(value)
    }

    /// A member whose name is data (a counter's, a capture's), escaped as any string.
    mutating func value(_ value: JSONValue, name: String) {
        member(name: name)
        write(value)
    }

    /// A value tree (the header, counters, totals: a few per input), written as bytes first.
    private mutating func write(_ value: JSONValue) {
        var bytes: [UInt8] = []
        value.write(into: &bytes, indent: pretty ? depth : nil)
        bytes.withUnsafeBufferPointer { out.append(bytes: $0) }
    }

    mutating func string(_ text: String, name: String) {
        member(name: name)
        JSONText.escape(text, onto: &out)
    }

    /// A string member, or null for nil.
    mutating func string(_ text: String?, key: StaticString? = nil) {
        member(key)
        if let text { JSONText.escape(text, onto: &out) } else { JSONText.literal("null", into: &out) }
    }

    /// A string member from bytes, as `string(String(decoding: bytes, as: UTF8.self))`.
    mutating func string(utf8 bytes: UnsafeBufferPointer<UInt8>, key: StaticString? = nil) {
        member(key)
        JSONText.escape(utf8: bytes, onto: &out)
    }

    mutating func strings(_ texts: [String], key: StaticString? = nil) {
        open("[", key: key)
        for text in texts { string(text) }
        close("]")
    }

    mutating func int(_ value: Int, key: StaticString? = nil) {
        member(key)
        JSONText.integer(value, onto: &out)
    }

    mutating func bool(_ value: Bool, key: StaticString? = nil) {
        member(key)
        if value { JSONText.literal("true", into: &out) } else { JSONText.literal("false", into: &out) }
    }

    mutating func null(key: StaticString? = nil) {
        member(key)
        JSONText.literal("null", into: &out)
    }

    /// Seconds as `JSONValue.double` writes them; null for nil or a non-finite value.
    mutating func seconds(_ value: Double?, key: StaticString? = nil) {
        member(key)
        if let value, value.isFinite { JSONText.seconds(value, onto: &out) } else { JSONText.literal("null", into: &out) }
    }

    /// Closes the innermost container with `}` or `]`.
    mutating func close(_ bracket: String) {
        let written = innermost
        innermost = outer.removeLast()
        depth -= 1
        if written > 0 && pretty { JSONValue.newline(&out, depth) }
        out.append(bracket.utf8.first!)
    }

    /// Bytes written since the last `take`.
    var count: Int { out.count }

    /// The text written since the last call.
    mutating func take() -> String {
        out.takeString()
    }

    /// Starts a member: the comma, the indentation, and the key. Keys written in the code
    /// are plain ASCII names, copied as they are: escaping each was a sixth of the JSON
    /// writer's time.
    private mutating func member(_ key: StaticString?) {
        guard separate() else { return }
        if let key {
            assert(key.withUTF8Buffer { !$0.contains(where: JSONText.needsEscape) }, "key \(key) needs escaping: write it with name:")
            out.append(UInt8(ascii: "\""))
            JSONText.literal(key, into: &out)
            out.append(UInt8(ascii: "\""))
            colon()
        }
    }

    private mutating func member(name: String) {
        guard separate() else { return }
        JSONText.escape(name, onto: &out)
        colon()
    }

    /// The comma and indentation before a member; false at the top level, which has none.
    @inline(__always) private mutating func separate() -> Bool {
        guard depth > 0 else { return false }
        if innermost > 0 { out.append(UInt8(ascii: ",")) }
        innermost += 1
        if pretty { JSONValue.newline(&out, depth) }
        return true
    }

    @inline(__always) private mutating func colon() {
        if pretty { JSONText.literal(": ", into: &out) } else { out.append(UInt8(ascii: ":")) }
    }
}
