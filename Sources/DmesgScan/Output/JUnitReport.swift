/// JUnit XML as GitLab and Jenkins read it: a testsuite per input (per boot when an input
/// has several), a testcase per invariant and per report title (names made unique, since
/// GitLab keeps only the first of equal names), failures carrying the excerpt or evidence.
public struct JUnitReport {
    /// Which JUnit dialect, as pytest's `junit_family`: `xunit2` validates against the strict
    /// schema Jenkins' xunit plugin uses (no `testcase@file`, no `testsuites@skipped`);
    /// `legacy` adds both, for GitLab, which shows `file`.
    public enum Family: String, Sendable, CaseIterable {
        case xunit2, legacy
    }

    public var failLevel: Level
    public var family: Family

    public init(failLevel: Level, family: Family = .xunit2) {
        self.failLevel = failLevel
        self.family = family
    }

    public func document(_ inputs: [InputResult]) -> String {
        var out = ""
        var writer = JUnitWriter(report: self) { out += $0 }
        writer.write(inputs)
        return out
    }

    /// The root element's start, with the counts of every suite.
    func header(_ totals: Counts) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"dmesgscan\" tests=\"\(totals.tests)\" failures=\"\(totals.failures)\" errors=\"\(totals.errors)\""
            + (family == .legacy ? " skipped=\"\(totals.skipped)\"" : "") + " time=\"0\">\n"
    }

    /// The suite of an input that could not be read to its end.
    func errorSuite(_ input: InputResult, error: InputError) -> Suite {
        var suite = Suite(name: input.path, classname: className(input.path), file: fileAttribute(input.path))
        suite.add(name: "input", body: "<error message=\"\(escape(error.description))\" type=\"input\">\(escape("\(input.lines) lines read before the error"))</error>", outcome: .error)
        return suite
    }

    /// The suite of an input with no boot (empty, or no kernel log record in it): an error,
    /// so that a run over the wrong files never comes out green.
    func noKernelLogSuite(_ input: InputResult) -> Suite {
        var suite = Suite(name: input.path, classname: className(input.path), file: fileAttribute(input.path))
        let message = input.lines == 0 ? "empty input" : "none of its \(input.lines) lines is a kernel log record"
        suite.add(name: "input", body: "<error message=\"\(escape(message))\" type=\"input\"/>", outcome: .error)
        return suite
    }

    private func fileAttribute(_ path: String) -> String? { family == .legacy ? path : nil }

    /// A boot's suite: a testcase per invariant and per finding.
    func suite(_ boot: BootResult, name: String, file: String) -> Suite {
        var suite = Suite(name: name, classname: className(file), file: fileAttribute(file))
        for v in boot.invariants {
            let testName = "invariant \(v.id)"
            switch v.outcome {
            case .pass:
                suite.add(name: testName, body: "<system-out>\(escape(v.message))</system-out>", outcome: .pass)
            case .fail where v.known != nil:
                // Expected, so skipped with the reason, as pytest shows an xfail.
                suite.add(name: testName, body: "<skipped message=\"\(escape(v.known!.summary + ": " + v.message))\"/>", outcome: .skipped)
            case .fail where v.level >= failLevel:
                let evidence = v.evidence.map { "line \($0.line): \($0.text)" }.joined(separator: "\n")
                suite.add(name: testName, body: "<failure message=\"\(escape(v.message))\" type=\"\(v.level.rawValue)\">\(escape(evidence))</failure>", outcome: .failure)
            case .fail:
                suite.add(name: testName, body: "<system-out>\(escape(v.message))</system-out>", outcome: .pass)
            case .unknown, .notApplicable:
                suite.add(name: testName, body: "<skipped message=\"\(escape(v.outcome.rawValue + ": " + v.message))\"/>", outcome: .skipped)
            }
        }
        for f in boot.findings {
            let excerpt = f.excerpt.map { "\($0.line): \($0.text)" }.joined(separator: "\n")
            let testName = "finding \(f.title)"
            if let known = f.known {
                suite.add(name: testName, body: "<skipped message=\"\(escape(known.summary))\"/><system-out>\(escape(excerpt))</system-out>", outcome: .skipped)
            } else if f.level >= failLevel {
                suite.add(name: testName, body: "<failure message=\"\(escape(f.title))\" type=\"\(f.level.rawValue)\">\(escape(excerpt))</failure>", outcome: .failure)
            } else {
                suite.add(name: testName, body: "<system-out>\(escape(excerpt))</system-out>", outcome: .pass)
            }
        }
        return suite
    }

    struct Counts {
        var tests = 0, failures = 0, errors = 0, skipped = 0

        mutating func add(_ s: Suite) {
            tests += s.tests
            failures += s.failures
            errors += s.errors
            skipped += s.skipped
        }
    }

    /// `dmesgscan.` and the path without its log and compression extensions, other dots
    /// made `_`: Jenkins reads what follows the last dot as the class (it was `log`).
    func className(_ path: String) -> String {
        var name = Substring(path)
        let extensions = [".gz", ".xz", ".bz2", ".zst", ".lz4", ".tar", ".tgz", ".log", ".txt", ".jsonl", ".json", ".journal", ".out"]
        while let suffix = extensions.first(where: { name.count > $0.count && name.hasSuffix($0) }) { name = name.dropLast(suffix.count) }
        return "dmesgscan." + String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }

    enum Outcome { case pass, failure, error, skipped }

    struct Suite {
        let name: String
        let classname: String
        let file: String?
        var cases: [String] = []
        var names: [String: Int] = [:]
        var tests = 0, failures = 0, errors = 0, skipped = 0

        init(name: String, classname: String, file: String?) {
            self.name = name
            self.classname = classname
            self.file = file
        }

        mutating func add(name: String, body: String, outcome: Outcome) {
            let seen = names[name, default: 0] + 1
            names[name] = seen
            let unique = seen == 1 ? name : "\(name) (\(seen))"
            tests += 1
            switch outcome {
            case .pass: break
            case .failure: failures += 1
            case .error: errors += 1
            case .skipped: skipped += 1
            }
            let fileAttribute = file.map { " file=\"\(escape($0))\"" } ?? ""
            cases.append("    <testcase classname=\"\(escape(classname))\" name=\"\(escape(unique))\"\(fileAttribute) time=\"0\">\(body)</testcase>\n")
        }

        var xml: String {
            "  <testsuite name=\"\(escape(name))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\" time=\"0\">\n"
                + cases.joined() + "  </testsuite>\n"
        }
    }
}

/// XML text and attribute escaping; control characters XML 1.0 forbids are dropped.
func escape(_ text: String) -> String {
    var text = text
    return text.withUTF8 { bytes in
        // Most text needs nothing: one pass over the bytes (U+FFFE/U+FFFF start with 0xEF).
        let plain = !bytes.contains { byte in
            switch byte {
            case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0xEF: return true
            case 0x09, 0x0A, 0x0D: return false
            default: return byte < 0x20
            }
        }
        if plain { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&apos;".utf8)
            case 0x09, 0x0A, 0x0D: out.append(byte)
            case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF):
                i += 2  // U+FFFE, U+FFFF
            default:
                if byte >= 0x20 { out.append(byte) }
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
