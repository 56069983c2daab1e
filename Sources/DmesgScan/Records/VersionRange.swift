/// A set of kernel versions written as comparisons joined by commas: `>= 7.1`,
/// `>= 5.8, < 6.11`.
public struct VersionRange: Sendable, CustomStringConvertible {
    public enum Operator: String, Sendable, CaseIterable { case ge = ">=", le = "<=", gt = ">", lt = "<", eq = "==" }
    public var terms: [(Operator, KernelVersion)]
    public let description: String

    public init?(_ text: String) {
        var terms: [(Operator, KernelVersion)] = []
        for part in text.split(separator: ",") {
            let term = part.trimmingSpaces()
            guard let op = Operator.allCases.first(where: { term.hasPrefix($0.rawValue) }) else { return nil }
            let rest = String(term.dropFirst(op.rawValue.count)).trimmingSpaces()
            guard let version = KernelVersion(release: rest) else { return nil }
            terms.append((op, version))
        }
        guard !terms.isEmpty else { return nil }
        self.terms = terms
        self.description = text
    }

    public func contains(_ version: KernelVersion) -> Bool {
        terms.allSatisfy { op, bound in
            switch op {
            case .ge: return version >= bound
            case .le: return version <= bound
            case .gt: return version > bound
            case .lt: return version < bound
            case .eq: return version == bound
            }
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { $0 != 0x20 }), let last = bytes.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
