import DmesgScan
import Foundation
import Testing

/// Scores report titles against syzkaller's own answers on its labelled parser tests
/// (../shared/labelled/syzkaller-reports, or DMESGSCAN_LABELLED), read in place and skipped
/// with a notice where absent. Prints the figures per crash type and overall, and fails
/// below floors that are raised as the report stage improves, so they cannot slide back.
@Suite("Reports: syzkaller's labelled crash logs")
struct LabelledReportsTests {
    static var directory: String {
        ProcessInfo.processInfo.environment["DMESGSCAN_LABELLED"]
            ?? TestSupport.packageRoot + "/../shared/labelled/syzkaller-reports"
    }

    /// The mission's report classes, by syzkaller's title.
    static let missionClass = try! NSRegularExpression(
        pattern: #"^(?:WARNING|BUG: unable to handle|general protection fault|BUG: Bad page|kernel BUG|Oops|BUG: kernel NULL)"#)

    /// Floors, in percent (measured figures, rounded down).
    static let floors = (missionExact: 92.0, allExact: 87.0, missionClass: 98.0, allClass: 96.0)

    struct Labelled {
        var name: String
        var title: String
        var alternatives: [String]
        var type: String
        var corrupted: Bool
        var log: [UInt8]
    }

    /// Header lines, a blank line, the log, and optionally a blank line and `REPORT:`.
    static func parse(_ name: String, _ data: Data) -> Labelled {
        let bytes = Array(data).filter { $0 != 0x0D }
        var entry = Labelled(name: name, title: "", alternatives: [], type: "", corrupted: false, log: [])
        var start = 0
        var index = 0
        while index < bytes.count {
            let end = bytes[index...].firstIndex(of: 0x0A) ?? bytes.count
            let line = String(decoding: bytes[index..<end], as: UTF8.self)
            index = end + 1
            if line.isEmpty { start = index; break }
            guard let colon = line.firstIndex(of: ":"), !line.hasPrefix("#") else { continue }
            let key = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "TITLE": entry.title = value
            case "ALT": entry.alternatives.append(value)
            case "TYPE": entry.type = value
            case "CORRUPTED": entry.corrupted = value == "Y"
            default: break
            }
        }
        var log = Array(bytes[min(start, bytes.count)...])
        let marker = Array("REPORT:\n".utf8)
        if log.starts(with: marker) {
            log = []
        } else if let cut = log.indices.first(where: { log[$0] == 0x0A && log[($0 + 1)...].starts(with: marker) }) {
            log = Array(log[...cut])
        }
        entry.log = log
        return entry
    }

    /// What a title is "of": the text before its last " in ".
    static func titleClass(_ title: String) -> String {
        guard let range = title.range(of: " in ", options: .backwards) else { return title }
        return String(title[..<range.lowerBound])
    }

    struct Tally {
        var files = 0, exact = 0, listed = 0, classMatched = 0, corruptedAgrees = 0
        mutating func add(_ entry: Labelled, _ report: Finding?) {
            files += 1
            let got = report?.title
            if got == entry.title { exact += 1 }
            if let got, ([entry.title] + entry.alternatives).contains(got) { listed += 1 }
            if let got, ([entry.title] + entry.alternatives).map(titleClass).contains(titleClass(got)) { classMatched += 1 }
            if let report, report.corrupted == entry.corrupted { corruptedAgrees += 1 }
        }
        func percent(_ n: Int) -> Double { files == 0 ? 0 : 100 * Double(n) / Double(files) }
        var row: String {
            String(format: "%4d  exact %5.1f%%  title-or-alt %5.1f%%  class %5.1f%%  corrupted-agrees %5.1f%%",
                   files, percent(exact), percent(listed), percent(classMatched), percent(corruptedAgrees))
        }
    }

    @Test func titlesMatchSyzkallersOnItsLabelledLogs() throws {
        let directory = LabelledReportsTests.directory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory), !names.isEmpty else {
            print("notice: \(directory) is absent; skipping the labelled-report scores (set DMESGSCAN_LABELLED to another copy)")
            return
        }
        let scanner = InputScanner(rules: TestSupport.ruleSet())
        var mission = Tally(), all = Tally()
        var byType: [String: Tally] = [:]
        var crashFree = 0
        var falsePositives: [String] = []
        for name in names.sorted() {
            let entry = LabelledReportsTests.parse(name, try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            let path = TestSupport.temporaryFile(name, entry.log)
            let result = scanner.scan(.file(path))
            try? FileManager.default.removeItem(atPath: path)
            let findings = result.boots.flatMap(\.findings)
            guard !entry.title.isEmpty else {
                crashFree += 1
                if let first = findings.first { falsePositives.append("\(name): \(first.title)") }
                continue
            }
            let report = findings.first { $0.rule.hasPrefix("report.") || $0.rule.hasPrefix("boot.kernel-panic") }
            all.add(entry, report)
            byType[entry.type, default: Tally()].add(entry, report)
            let range = NSRange(entry.title.startIndex..., in: entry.title)
            if LabelledReportsTests.missionClass.firstMatch(in: entry.title, range: range) != nil { mission.add(entry, report) }
        }
        print("labelled syzkaller reports in \(directory):")
        for (type, tally) in byType.sorted(by: { $0.value.files > $1.value.files }) {
            print("  \((type.isEmpty ? "(no TYPE)" : type).padding(toLength: 36, withPad: " ", startingAt: 0)) \(tally.row)")
        }
        print("  \("mission classes".padding(toLength: 36, withPad: " ", startingAt: 0)) \(mission.row)")
        print("  \("all classes".padding(toLength: 36, withPad: " ", startingAt: 0)) \(all.row)")
        print("  crash-free logs: \(crashFree), with a finding: \(falsePositives.count) \(falsePositives.prefix(5))")
        let floors = LabelledReportsTests.floors
        #expect(mission.percent(mission.exact) >= floors.missionExact)
        #expect(all.percent(all.exact) >= floors.allExact)
        #expect(mission.percent(mission.classMatched) >= floors.missionClass)
        #expect(all.percent(all.classMatched) >= floors.allClass)
        #expect(falsePositives.isEmpty, "findings on crash-free logs: \(falsePositives)")
    }
}
