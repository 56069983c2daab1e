import DmesgScan

/// `--boot N`, as journalctl's `-b`: only the Nth boot of each input (1 the first), or
/// with a negative N the Nth from the end (-1 the last), for which the last |N| boots of
/// an input are held until it ends.
struct BootPicker {
    let wanted: Int
    private var held: [BootResult] = []

    init(_ wanted: Int) { self.wanted = wanted }

    /// The boots to pass on now.
    mutating func take(_ boot: BootResult) -> [BootResult] {
        if wanted > 0 { return boot.index + 1 == wanted ? [boot] : [] }
        held.append(boot)
        if held.count > -wanted { held.removeFirst() }
        return []
    }

    /// At the end of an input: the boot counted from its end, if it had that many.
    mutating func finishInput() -> [BootResult] {
        defer { held = [] }
        guard wanted < 0, held.count == -wanted else { return [] }
        return [held[0]]
    }
}
