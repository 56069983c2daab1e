/// A line matched by a rule: where it was, and the rule's named captures.
public struct Event: Sendable {
    public var rule: Int
    public var line: Int
    public var timestamp: Double?
    public var caller: Caller?
    public var fields: [String: String]
    /// The message without its prefix, for evidence and output.
    public var text: String
    /// ISO 8601 wall-clock time and host name, when the log format shows them.
    public var wallClock: String?
    public var host: String?

    public init(rule: Int, line: Int, timestamp: Double?, caller: Caller?, fields: [String: String], text: String) {
        self.rule = rule
        self.line = line
        self.timestamp = timestamp
        self.caller = caller
        self.fields = fields
        self.text = text
    }
}
