import DmesgScan
import Foundation
import Testing

/// Rule files parsed ahead (`RulePrefetch`, started once per process: this is the only test
/// that starts it) load as they would without it, and a file changed since is read anew.
@Suite("Rules: files parsed ahead of loading")
struct RulePrefetchTests {
    static func yaml(_ id: String, _ pattern: String) -> String {
        "rules:\n  - id: \(id)\n    pattern: '\(pattern)'\n"
    }

    @Test func prefetchedFilesLoadAsParsedHereAndChangedOnesAreReadAgain() throws {
        let dir = TestSupport.scratchRoot + "/prefetch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.yaml("demo.first", "^first (?<n>\\d+)").write(toFile: dir + "/a.yml", atomically: true, encoding: .utf8)
        try Self.yaml("demo.second", "^second").write(toFile: dir + "/b.yml", atomically: true, encoding: .utf8)
        try "rules: [unclosed\n".write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)

        RulePrefetch.start(paths: [dir])
        // Loading waits for the prefetch to end; a.yml is then taken from it.
        var ahead = RuleLoader()
        try ahead.load(paths: [dir + "/a.yml"])
        var here = RuleLoader()
        try here.load(yaml: Self.yaml("demo.first", "^first (?<n>\\d+)"), file: dir + "/a.yml")
        #expect(ahead.rules.map(\.id) == ["demo.first"])
        #expect(ahead.rules.map(\.pattern) == here.rules.map(\.pattern))
        #expect(ahead.digest.hex == here.digest.hex)

        // b.yml changed after it was parsed ahead: the new text is what loads.
        try Self.yaml("demo.changed", "^changed").write(toFile: dir + "/b.yml", atomically: true, encoding: .utf8)
        var changed = RuleLoader()
        try changed.load(paths: [dir + "/b.yml"])
        #expect(changed.rules.map(\.id) == ["demo.changed"])

        // A YAML error found ahead is reported as the loader reports it, with its place.
        var broken = RuleLoader()
        #expect {
            try broken.load(paths: [dir + "/c.yml"])
        } throws: { error in
            "\(error)".hasPrefix(dir + "/c.yml:2:") && "\(error)".contains("YAML:")
        }
    }
}
