/// Combines JSON summaries of separate runs (shards of one archive) into one: inputs are
/// united and sorted by path, totals add up (first and last inputs are by name, levels take
/// the highest), so the order of the summaries does not matter. Summaries of another schema
/// or made with other rules are refused.
public enum SummaryMerger {
    public struct MergeError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func parse(_ data: [UInt8], name: String) throws -> JSONValue {
        guard let value = JSONParser.parse(data) else { throw MergeError(description: "\(name): not a JSON document") }
        return value
    }

    /// Merges summaries after checking that they belong together: one rule set; for `--shard`
    /// parts, one input set and one N with every shard once (`allowPartial` merges a set
    /// with shards missing, and marks the totals partial); and no input twice, whatever its
    /// spelling.
    public static func merge(_ documents: [(name: String, value: JSONValue)], allowPartial: Bool = false) throws -> JSONValue {
        guard let first = documents.first else { throw MergeError(description: "nothing to merge") }
        let digest = first.value["rules"]?["digest"]
        var shards: [Int: String] = [:]
        var shardSet: (count: Int, inputSet: String, name: String)?
        var unsharded: String?
        var inputs: [JSONValue] = []
        var seenInputs: [String: String] = [:]
        var totals: [String: JSONValue] = [:]
        var totalKeys: [String] = []
        for (name, document) in documents {
            guard document["schema"] == .string(SummaryJSON.schema) else {
                throw MergeError(description: "\(name): schema is \(document["schema"]?.serialized() ?? "missing"), not \"\(SummaryJSON.schema)\"")
            }
            guard document["rules"]?["digest"] == digest else {
                throw MergeError(description: "\(name): made with other rules (digest \(document["rules"]?["digest"]?.serialized() ?? "missing"), expected \(digest?.serialized() ?? "missing"))")
            }
            if let shard = ShardInfo(json: document["shard"]) {
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
            if case .array(let items)? = document["inputs"] {
                for item in items {
                    guard case .string(let path)? = item["path"] else { continue }
                    var canonical = CanonicalPath.of(path)
                    if case .string(let recorded)? = item["canonical_path"] { canonical = recorded }
                    if let other = seenInputs[canonical] {
                        throw MergeError(description: "input \(path) is in \(other) and in \(name)\(canonical == path ? "" : " (as \(canonical))"): a part merged twice, or overlapping runs")
                    }
                    seenInputs[canonical] = name
                    // The merged summary is one whole run: the shards' own bookkeeping goes.
                    if case .object(let pairs) = item {
                        inputs.append(.object(pairs.filter { $0.0 != "canonical_path" }))
                    } else {
                        inputs.append(item)
                    }
                }
            }
            if case .object(let pairs)? = document["totals"] {
                for (key, value) in pairs {
                    if let old = totals[key] { totals[key] = add(old, value, key: key) } else { totals[key] = value; totalKeys.append(key) }
                }
            }
        }
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
        let merged = sortedKeys(.object(totalPairs))
        inputs.sort { ($0["path"]?.serialized() ?? "") < ($1["path"]?.serialized() ?? "") }
        return .object([
            ("schema", .string(SummaryJSON.schema)),
            ("tool", first.value["tool"] ?? .null),
            ("rules", first.value["rules"] ?? .null),
            ("inputs", .array(inputs)),
            ("totals", merged),
        ])
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
