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

    public static func merge(_ documents: [(name: String, value: JSONValue)]) throws -> JSONValue {
        guard let first = documents.first else { throw MergeError(description: "nothing to merge") }
        var inputs: [JSONValue] = []
        var totals: JSONValue = .object([])
        let digest = first.value["rules"]?["digest"]
        for (name, document) in documents {
            guard document["schema"] == .string(SummaryJSON.schema) else {
                throw MergeError(description: "\(name): schema is \(document["schema"]?.serialized() ?? "missing"), not \"\(SummaryJSON.schema)\"")
            }
            guard document["rules"]?["digest"] == digest else {
                throw MergeError(description: "\(name): made with other rules (digest \(document["rules"]?["digest"]?.serialized() ?? "missing"), expected \(digest?.serialized() ?? "missing"))")
            }
            if case .array(let items)? = document["inputs"] { inputs += items }
            totals = add(totals, document["totals"] ?? .object([]), key: "")
        }
        totals = sortedKeys(totals)
        inputs.sort { ($0["path"]?.serialized() ?? "") < ($1["path"]?.serialized() ?? "") }
        return .object([
            ("schema", .string(SummaryJSON.schema)),
            ("tool", first.value["tool"] ?? .null),
            ("rules", first.value["rules"] ?? .null),
            ("inputs", .array(inputs)),
            ("totals", totals),
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
            var keys = x.map(\.0)
            for (k, _) in y where !keys.contains(k) { keys.append(k) }
            keys.sort()
            return .object(keys.map { k in
                let left = x.first { $0.0 == k }?.1
                let right = y.first { $0.0 == k }?.1
                switch (left, right) {
                case (let l?, let r?): return (k, add(l, r, key: k))
                case (let l?, nil): return (k, l)
                default: return (k, right!)
                }
            })
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
