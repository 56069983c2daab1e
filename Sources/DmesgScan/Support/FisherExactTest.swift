#if canImport(Glibc)
import Glibc
#endif

/// Fisher's exact test on a 2×2 table of boots: `a` of `n1` boots on one side show an item,
/// `b` of `n0` on the other. One-sided p-values from the hypergeometric distribution, summed
/// in log space so that thousands of boots neither overflow nor underflow.
public enum FisherExactTest {
    /// P(at least `a` of the `a + b` showing boots fall on the first side), under no difference.
    public static func pGreater(a: Int, n1: Int, b: Int, n0: Int) -> Double {
        let shown = a + b
        return sum(from: a, to: min(shown, n1), shown: shown, n1: n1, n0: n0)
    }

    /// P(at most `a` of them fall on the first side).
    public static func pLess(a: Int, n1: Int, b: Int, n0: Int) -> Double {
        let shown = a + b
        return sum(from: max(0, shown - n0), to: a, shown: shown, n1: n1, n0: n0)
    }

    private static func sum(from low: Int, to high: Int, shown: Int, n1: Int, n0: Int) -> Double {
        guard low <= high else { return 0 }
        let total = n1 + n0
        let denominator = logChoose(total, n1)
        var p = 0.0
        for x in low...high {
            p += exp(logChoose(shown, x) + logChoose(total - shown, n1 - x) - denominator)
        }
        return min(1, p)
    }

    private static func logChoose(_ n: Int, _ k: Int) -> Double {
        guard k >= 0, k <= n else { return -.infinity }
        return lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
