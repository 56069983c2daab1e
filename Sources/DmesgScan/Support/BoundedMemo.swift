/// Answers already found for names whose answer costs a regex run: the same few thousand
/// functions fill every trace. Cleared when full, so a log of random names stays bounded.
/// Not shared between threads: each rule set (one per worker) holds its own.
struct BoundedMemo<Value> {
    static var limit: Int { 16_384 }
    private var answers: [String: Value] = [:]

    init() {}

    mutating func value(for key: String, _ make: (String) -> Value) -> Value {
        if let known = answers[key] { return known }
        if answers.count >= BoundedMemo.limit { answers.removeAll(keepingCapacity: true) }
        let made = make(key)
        answers[key] = made
        return made
    }
}
