/// What a `--shard I/N` summary records so that `merge` can check the parts belong together:
/// its place, and a digest of the whole input set it was cut from (every shard lists the same
/// set, each path made absolute and tidied).
public struct ShardInfo: Sendable, Equatable {
    public var index: Int
    public var count: Int
    public var inputSet: String
    public var inputsListed: Int

    /// `index` from 1; `paths` the whole listed set, before the shard took its part.
    public init(index: Int, count: Int, listed paths: [String]) {
        self.index = index
        self.count = count
        var digest = FNV1a64()
        for path in paths.map(CanonicalPath.lexical).sorted() {
            digest.add(path)
            digest.add("\u{0}")
        }
        self.inputSet = "fnv1a64:" + digest.hex
        self.inputsListed = paths.count
    }

    init(index: Int, count: Int, inputSet: String, inputsListed: Int) {
        self.index = index
        self.count = count
        self.inputSet = inputSet
        self.inputsListed = inputsListed
    }

    public var json: JSONValue {
        .object([("index", .int(index)), ("count", .int(count)), ("input_set", .string(inputSet)), ("inputs_listed", .int(inputsListed))])
    }

    init?(json: JSONValue?) {
        guard let json, case .int(let index)? = json["index"], case .int(let count)? = json["count"],
              case .string(let set)? = json["input_set"] else { return nil }
        var listed = 0
        if case .int(let n)? = json["inputs_listed"] { listed = n }
        self.init(index: index, count: count, inputSet: set, inputsListed: listed)
    }
}
