/// Writes one JSON document piece by piece, byte for byte as `JSONValue.serialized` writes
/// it whole, so a document too large to hold can be streamed.
struct JSONStream {
    let pretty: Bool
    /// Members written so far in each open container, outermost first.
    private var members: [Int] = []
    private var out: [UInt8] = []

    init(pretty: Bool) { self.pretty = pretty }

    /// A stream that writes the members of a container `depth` levels down, whose opening
    /// is written by another stream (text kept aside, then spliced in between).
    init(pretty: Bool, depth: Int) {
        self.pretty = pretty
        members = Array(repeating: 0, count: depth)
    }

    /// Counts `count` members of the innermost container written by another stream.
    mutating func wrote(_ count: Int) {
        members[members.count - 1] += count
    }

    /// Opens `{` or `[`, as a member named `key` of the open object.
    mutating func open(_ bracket: String, key: String? = nil) {
        member(key)
        out.append(contentsOf: bracket.utf8)
        members.append(0)
    }

    mutating func value(_ value: JSONValue, key: String? = nil) {
        member(key)
        value.write(into: &out, indent: pretty ? members.count : nil)
    }

    /// Closes the innermost container with `}` or `]`.
    mutating func close(_ bracket: String) {
        let written = members.removeLast()
        if written > 0 && pretty { JSONValue.newline(&out, members.count) }
        out.append(contentsOf: bracket.utf8)
    }

    /// The text written since the last call.
    mutating func take() -> String {
        defer { out.removeAll(keepingCapacity: true) }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func member(_ key: String?) {
        guard !members.isEmpty else { return }
        if members[members.count - 1] > 0 { out.append(UInt8(ascii: ",")) }
        members[members.count - 1] += 1
        if pretty { JSONValue.newline(&out, members.count) }
        if let key {
            JSONText.escape(key, into: &out)
            out.append(contentsOf: (pretty ? ": " : ":").utf8)
        }
    }
}
