/// Finds a literal that every match of a pattern must contain, for the prefilter.
///
/// Conservative: it only reads the top level of the pattern (outside groups and classes),
/// gives up on top-level alternation and on case-insensitive patterns, and drops a
/// character made optional by a quantifier. It may return nil for a pattern that has a
/// literal ("never wrong to return nil"), but never a literal a match could lack.
public enum LiteralExtractor {
    public static func requiredLiteral(_ pattern: String) -> String? {
        if pattern.contains("(?i") { return nil }
        let chars = Array(pattern.unicodeScalars)
        var runs: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var depth = 0
        var i = 0
        func endRun() {
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        func isQuantifier(_ at: Int) -> Bool {
            at < chars.count && (chars[at] == "?" || chars[at] == "*" || chars[at] == "{")
        }
        while i < chars.count {
            let c = chars[i]
            if depth > 0 {
                switch c {
                case "\\": i += 2; continue
                case "(": depth += 1
                case ")": depth -= 1
                case "[": i = skipClass(chars, i); continue
                default: break
                }
                i += 1
                if depth == 0 {
                    // A quantified group may be absent or repeated; either way it ends the run.
                    endRun()
                }
                continue
            }
            switch c {
            case "|":
                return nil
            case "(":
                endRun()
                depth = 1
                i += 1
            case "[":
                endRun()
                i = skipClass(chars, i)
            case "\\":
                guard i + 1 < chars.count else { endRun(); i += 1; break }
                let escaped = chars[i + 1]
                let isLiteral = !(escaped.properties.isAlphabetic || escaped.properties.numericType != nil)
                if isLiteral {
                    if isQuantifier(i + 2) { endRun() } else { current.append(escaped) }
                    if i + 2 < chars.count, chars[i + 2] == "+" { endRun() }
                } else {
                    endRun()
                }
                i += 2
            case ".", "^", "$":
                endRun()
                i += 1
            case "?", "*", "+", "{", "}":
                endRun()
                i += 1
            default:
                if isQuantifier(i + 1) {
                    endRun()
                } else {
                    current.append(c)
                    if i + 1 < chars.count, chars[i + 1] == "+" { endRun() }
                }
                i += 1
            }
        }
        endRun()
        guard let best = runs.max(by: { $0.count < $1.count }), best.count >= 4 else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: best)
        return text
    }

    private static func skipClass(_ chars: [Unicode.Scalar], _ start: Int) -> Int {
        var i = start + 1
        if i < chars.count, chars[i] == "^" { i += 1 }
        if i < chars.count, chars[i] == "]" { i += 1 }
        while i < chars.count, chars[i] != "]" {
            i += chars[i] == "\\" ? 2 : 1
        }
        return i + 1
    }

    /// The text every match starts with, for a pattern anchored with `^`: `^Freeing (?<…`
    /// gives "Freeing ". Nil when shorter than 4 bytes or not anchored.
    public static func anchoredPrefix(_ pattern: String) -> String? {
        if pattern.contains("(?i") { return nil }
        let chars = Array(pattern.unicodeScalars)
        guard chars.first == "^" else { return nil }
        var prefix: [Unicode.Scalar] = []
        var i = 1
        while i < chars.count {
            let c = chars[i]
            var literal: Unicode.Scalar?
            var width = 1
            if c == "\\" {
                guard i + 1 < chars.count else { break }
                let escaped = chars[i + 1]
                if escaped.properties.isAlphabetic || escaped.properties.numericType != nil { break }
                literal = escaped
                width = 2
            } else if !"[](){}.*+?|^$".unicodeScalars.contains(c) {
                literal = c
            }
            guard let literal else { break }
            let next = i + width < chars.count ? chars[i + width] : nil
            if next == "?" || next == "*" || next == "{" { break }  // optional: not part of every match
            prefix.append(literal)
            if next == "+" { break }
            i += width
        }
        guard prefix.count >= 4 else { return nil }
        var text = ""
        text.unicodeScalars.append(contentsOf: prefix)
        return text.utf8.count >= 4 ? text : nil
    }
}
