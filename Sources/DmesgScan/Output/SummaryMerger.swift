/// Combines JSON summaries of separate runs (shards of one archive) into one: inputs are
/// united and sorted by path, totals add up (first and last inputs are by name, levels take
/// the highest), so the order of the summaries does not matter. Summaries of another schema
/// or made with other rules are refused.
///
/// Summaries are read as streams, one input object at a time: each input is written to a
/// temporary file as it comes, and only its path and place are kept, with the totals. So
/// memory is the totals (bounded by distinct titles and kernels) and one path per input,
/// not the boots and findings the summaries hold.
public final class SummaryMerger {
    public struct MergeError: Error, CustomStringConvertible {
        public let description: String
    }

    private let allowPartial: Bool
    private let pretty: Bool
    private var head: (name: String, tool: JSONValue, rules: JSONValue, digest: JSONValue?)?
    private var shards: [Int: String] = [:]
    private var shardSet: (count: Int, inputSet: String, name: String)?
    private var unsharded: String?
    private var seenInputs: [String: String] = [:]
    private var totals: [String: JSONValue] = [:]
    private var totalKeys: [String] = []
    /// Every input, serialized as it will be written, in arrival order.
    private let inputs = SpillBuffer()
    /// Each input's sort key (its path as written) and place in `inputs`.
    private var index: [(key: String, range: Range<Int>)] = []

    /// `allowPartial` merges a set of `--shard` parts with shards missing, and marks the
    /// totals partial.
    public init(allowPartial: Bool = false, pretty: Bool = false) {
        self.allowPartial = allowPartial
        self.pretty = pretty
    }

    /// Reads one summary and checks that it belongs with those before: one rule set; for
    /// `--shard` parts, one input set and one N, each shard once; no input twice, whatever
    /// its spelling.
    public func add(_ stream: inout JSONValueStream, name: String) throws {
        func malformed() -> MergeError {
            MergeError(description: stream.readFailed
                ? "\(name): read failed at byte \(stream.offset)"
                : "\(name): not a JSON summary (malformed at byte \(stream.offset))")
        }
        guard stream.expect(UInt8(ascii: "{")) else { throw malformed() }
        var header: [String: JSONValue] = [:]
        var documentTotals: JSONValue?
        var checked = false
        if !stream.expect(UInt8(ascii: "}")) {
            repeat {
                guard let keyBytes = stream.value(), case .string(let key)? = JSONParser.parse(keyBytes),
                      stream.expect(UInt8(ascii: ":")) else { throw malformed() }
                if key == "inputs" {
                    try check(header, name: name)
                    checked = true
                    guard stream.expect(UInt8(ascii: "[")) else { throw malformed() }
                    if !stream.expect(UInt8(ascii: "]")) {
                        repeat {
                            guard let raw = stream.value(), let item = JSONParser.parse(raw) else { throw malformed() }
                            try addInput(item, from: name)
                        } while stream.expect(UInt8(ascii: ","))
                        guard stream.expect(UInt8(ascii: "]")) else { throw malformed() }
                    }
                } else {
                    guard let raw = stream.value(), let value = JSONParser.parse(raw) else { throw malformed() }
                    if key == "totals" { documentTotals = value } else { header[key] = value }
                }
            } while stream.expect(UInt8(ascii: ","))
            guard stream.expect(UInt8(ascii: "}")) else { throw malformed() }
        }
        guard stream.peek() == nil else { throw malformed() }
        if !checked { try check(header, name: name) }
        if case .object(let pairs)? = documentTotals {
            for (key, value) in pairs {
                if let old = totals[key] { totals[key] = Self.add(old, value, key: key) } else { totals[key] = value; totalKeys.append(key) }
            }
        }
    }

    /// The summary's own keys, against those of the summaries before it.
    private func check(_ header: [String: JSONValue], name: String) throws {
        guard header["schema"] == .string(SummaryJSON.schema) else {
            throw MergeError(description: "\(name): schema is \(header["schema"]?.serialized() ?? "missing"), not \"\(SummaryJSON.schema)\"")
        }
        let digest = header["rules"]?["digest"]
        if let head {
            guard digest == head.digest else {
                throw MergeError(description: "\(name): made with other rules (digest \(digest?.serialized() ?? "missing"), expected \(head.digest?.serialized() ?? "missing"))")
            }
        } else {
            head = (name, header["tool"] ?? .null, header["rules"] ?? .null, digest)
        }
        if let shard = ShardInfo(json: header["shard"]) {
            if let unsharded { throw MergeError(description: "\(name) is shard \(shard.index)/\(shard.count) but \(unsharded) is not a shard: merge parts of one --shard run, or whole runs") }
            if let set = shardSet {
                guard shard.count == set.count else {
                    throw MergeError(description: "\(name) is shard \(shard.index)/\(shard.count), but \(set.name) is one of \(set.count): mixed N")
                }
                guard shard.inputSet == set.inputSet else {
                    throw MergeError(description: "\(name) was cut from another input set than \(set.name) (\(shard.inputSet), not \(set.inputSet))")
                }
            } else {
                shardSet = (shard.count, shard.inputSet, name)
            }
            if let other = shards[shard.index] { throw MergeError(description: "shard \(shard.index)/\(shard.count) is given twice: \(other) and \(name)") }
            shards[shard.index] = name
        } else {
            if let set = shardSet { throw MergeError(description: "\(name) is not a shard but \(set.name) is: merge parts of one --shard run, or whole runs") }
            unsharded = unsharded ?? name
        }
    }

    private func addInput(_ item: JSONValue, from name: String) throws {
        guard case .string(let path)? = item["path"] else { return }
        var canonical = CanonicalPath.of(path)
        if case .string(let recorded)? = item["canonical_path"] { canonical = recorded }
        if let other = seenInputs[canonical] {
            throw MergeError(description: "input \(path) is in \(other) and in \(name)\(canonical == path ? "" : " (as \(canonical))"): a part merged twice, or overlapping runs")
        }
        seenInputs[canonical] = name
        // The merged summary is one whole run: the shards' own bookkeeping goes.
        var kept = item
        if case .object(let pairs) = item { kept = .object(pairs.filter { $0.0 != "canonical_path" }) }
        var bytes: [UInt8] = []
        kept.write(into: &bytes, indent: pretty ? 2 : nil)
        let range = bytes.withUnsafeBufferPointer { inputs.append($0) }
        index.append((JSONValue.string(path).serialized(), range))
    }

    /// Writes the merged summary, in chunks; refuses a shard set with shards missing unless
    /// partial merges are allowed.
    public func write(_ emit: (String) -> Void) throws {
        guard let head else { throw MergeError(description: "nothing to merge") }
        var missing: [Int] = []
        if let set = shardSet {
            missing = (1...set.count).filter { shards[$0] == nil }
            if !missing.isEmpty && !allowPartial {
                throw MergeError(description: "missing shard\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(set.count) (--allow-partial merges what is there and marks the totals partial)")
            }
        }
        var totalPairs = totalKeys.map { ($0, totals[$0]!) }
        if !missing.isEmpty {
            totalPairs.append(("partial", .bool(true)))
            totalPairs.append(("missing_shards", .array(missing.map { .int($0) })))
        }
        // Stable: arrival order among equal paths.
        let order = index.indices.sorted { index[$0].key != index[$1].key ? index[$0].key < index[$1].key : $0 < $1 }
        let top: Int? = pretty ? 0 : nil
        let member: Int? = pretty ? 1 : nil
        var out: [UInt8] = []
        func flush(over limit: Int) {
            guard out.count > limit else { return }
            emit(String(decoding: out, as: UTF8.self))
            out.removeAll(keepingCapacity: true)
        }
        func key(_ name: String, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            JSONValue.newline(&out, member)
            JSONText.escape(name, into: &out)
            out.append(UInt8(ascii: ":"))
            if pretty { out.append(UInt8(ascii: " ")) }
        }
        out.append(UInt8(ascii: "{"))
        key("schema", first: true)
        JSONValue.string(SummaryJSON.schema).write(into: &out, indent: member)
        key("tool")
        head.tool.write(into: &out, indent: member)
        key("rules")
        head.rules.write(into: &out, indent: member)
        key("inputs")
        if order.isEmpty {
            out.append(contentsOf: "[]".utf8)
        } else {
            out.append(UInt8(ascii: "["))
            for (n, i) in order.enumerated() {
                if n > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, pretty ? 2 : nil)
                out.append(contentsOf: inputs.bytes(in: index[i].range))
                flush(over: 1 << 20)
            }
            JSONValue.newline(&out, member)
            out.append(UInt8(ascii: "]"))
        }
        key("totals")
        Self.sortedKeys(.object(totalPairs)).write(into: &out, indent: member)
        JSONValue.newline(&out, top)
        out.append(UInt8(ascii: "}"))
        flush(over: 0)
    }

    /// The same value with every object's keys in order, so merged output does not depend on
    /// which summary a key came from.
    static func sortedKeys(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let pairs): return .object(pairs.sorted { $0.0 < $1.0 }.map { ($0.0, sortedKeys($0.1)) })
        case .array(let items): return .array(items.map(sortedKeys))
        default: return value
        }
    }

    /// Adds two totals trees: numbers add, objects merge by key, `first_input` takes the
    /// smaller name, `last_input` the larger, `level` the higher.
    static func add(_ a: JSONValue, _ b: JSONValue, key: String) -> JSONValue {
        switch (a, b) {
        case (.int(let x), .int(let y)): return .int(x + y)
        case (.object(let x), .object(let y)):
            // By dictionary: totals with tens of thousands of titles or kernels merge in linear time.
            var merged = Dictionary(x, uniquingKeysWith: { first, _ in first })
            for (k, value) in y { merged[k] = merged[k].map { add($0, value, key: k) } ?? value }
            return .object(merged.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        case (.string(let x), .string(let y)):
            switch key {
            case "first_input": return .string(x.isEmpty ? y : y.isEmpty ? x : min(x, y))
            case "last_input": return .string(max(x, y))
            case "level": return .string(max(Level(rawValue: x) ?? .debug, Level(rawValue: y) ?? .debug).rawValue)
            default: return a
            }
        default:
            return b
        }
    }
}

extension JSONValue {
    /// The value of `key` in an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }
}
