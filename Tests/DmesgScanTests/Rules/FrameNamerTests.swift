import DmesgScan
import Testing

/// Frame names lose the syscall prefixes and compiler suffixes of `frame_strip:`, each
/// pattern applied in order to what the ones before it left (answers are memoised).
@Suite("Rules: frame names normalised")
struct FrameNamerTests {
    // Prefix patterns in the order a rule file lists them, then an unanchored suffix one.
    static let strip = ["^sys_", "^__x64_", "^__se_", "^__do_sys_", #"(?:\.(?:isra|constprop|part|cold)(?:\.\d+)?)+$"#]

    @Test func patternsApplyInOrder() throws {
        let namer = try FrameNamer(skip: [], strip: Self.strip)
        let cases: [(String, String)] = [
            ("do_one_initcall", "do_one_initcall"),
            ("free_pcppages_bulk.isra.0", "free_pcppages_bulk"),
            ("__x64_sys_read", "sys_read"),  // `^sys_` came before `^__x64_`: applied in order
            ("__se_sys_mount", "sys_mount"),
            ("sys_", ""),  // all of it: what a pattern matches goes, whatever is left
            ("", ""),
            ("kfree.cold", "kfree"),
            ("__do_sys_bpf.constprop.0.isra.1", "bpf"),
        ]
        for (name, expected) in cases {
            #expect(namer.normalize(name) == expected, "\(name)")
            #expect(namer.normalize(name) == expected, "\(name), memoised")
        }
    }
}
