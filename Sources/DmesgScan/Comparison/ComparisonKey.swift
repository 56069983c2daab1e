/// What a comparison counts: a report title, or an invariant's failures.
public struct ComparisonKey: Hashable, Sendable, Comparable {
    public enum Kind: String, Sendable { case title, invariant }

    public var kind: Kind
    public var name: String

    public init(_ kind: Kind, _ name: String) {
        self.kind = kind
        self.name = name
    }

    public static func < (a: ComparisonKey, b: ComparisonKey) -> Bool { (a.kind.rawValue, a.name) < (b.kind.rawValue, b.name) }

    /// `WARNING in foo`, or `invariant x86.smp-locks-… fails`.
    public var label: String { kind == .title ? name : "invariant \(name) fails" }
}
