/// A number with a fixed count of decimals (`0.412`, `38`), for text shown to people: the
/// phase times of the text and HTML outputs, the p-values of a comparison.
public enum DecimalText {
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let whole = Int((x * scale).rounded())
        guard digits > 0 else { return String(whole) }
        let sign = whole < 0 ? "-" : ""
        let magnitude = abs(whole)
        let fraction = String(magnitude % Int(scale))
        return "\(sign)\(magnitude / Int(scale)).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }
}
