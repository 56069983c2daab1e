/// A report class's frame search, compiled: the steps of its `stack:`, its own skip list
/// (`stack_skip:`) and its extractor. Built once per rule by `RuleSet`.
public final class StackPlan {
    public enum Step {
        case banner, rip, locks, trace
        case after(PCRE2Regex)
    }

    public let steps: [Step]
    public let extractor: StackExtractor
    private let skip: PCRE2Regex?
    private let anchors: [(regex: PCRE2Regex, name: String?)]
    /// The class's skip list is a regex of alternatives, tried on each candidate frame.
    private var skipped = BoundedMemo<Bool>()

    /// The default search: the faulting instruction, then the call trace.
    static let standard: [StackStep] = [.rip, .trace]

    init(_ rule: Rule) throws(PatternError) {
        var steps: [Step] = []
        let spec = rule.stack
        for step in spec.steps.isEmpty ? StackPlan.standard : spec.steps {
            switch step {
            case .banner: steps.append(.banner)
            case .rip: steps.append(.rip)
            case .locks: steps.append(.locks)
            case .trace: steps.append(.trace)
            case .after(let pattern): steps.append(.after(try PCRE2Regex(pattern)))
            }
        }
        self.steps = steps
        extractor = spec.extractor
        anchors = try FrameNamer.compile(spec.anchors)
        skip = spec.skip.isEmpty ? nil : try PCRE2Regex(spec.skip.map { "(?:\($0))" }.joined(separator: "|"))
    }

    /// The plan moves past marker lines, so the report must keep its lines' text.
    public var needsLines: Bool { steps.contains { if case .after = $0 { true } else { false } } }

    /// For hangs: the name a frame gives the hang ("" for the frame itself), or nil.
    public func hangAnchor(_ function: String) -> String? { FrameNamer.anchor(function, in: anchors) }

    public func isSkipped(_ function: String) -> Bool {
        guard let skip else { return false }
        return skipped.value(for: function) { skip.matches($0) }
    }
}
