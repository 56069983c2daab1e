import DmesgScan
import Testing

/// Frame names from a call trace are normalised from the match's bytes in place; the
/// answer must be the one the String path (memoised, patterns applied in order) gives.
@Suite("Rules: frame names normalised in place")
struct FrameNamerTests {
    // Prefix patterns in the order a rule file lists them, then an unanchored suffix one.
    static let strip = ["^sys_", "^__x64_", "^__se_", "^__do_sys_", #"(?:\.(?:isra|constprop|part|cold)(?:\.\d+)?)+$"#]

    func normalizeInPlace(_ namer: FrameNamer, _ name: String) -> String {
        Array(name.utf8).withUnsafeBytes { namer.normalize($0) }
    }

    @Test func bytesAndStringsGiveTheSameName() throws {
        let namer = try FrameNamer(skip: [], strip: Self.strip)
        let cases: [(String, String)] = [
            ("do_one_initcall", "do_one_initcall"),
            ("free_pcppages_bulk.isra.0", "free_pcppages_bulk"),
            ("__x64_sys_read", "sys_read"),  // `^sys_` came before `^__x64_`: applied in order
            ("__se_sys_mount", "sys_mount"),
            ("sys_", ""),  // all of it: what a pattern matches goes, whatever is left
            ("_", "_"),
            ("", ""),
            ("kfree.cold", "kfree"),
            ("__do_sys_bpf.constprop.0.isra.1", "bpf"),
        ]
        for (name, expected) in cases {
            #expect(normalizeInPlace(namer, name) == namer.normalize(name), "\(name)")
            #expect(normalizeInPlace(namer, name) == expected, "\(name)")
        }
    }
}
