/// The lines of one boot that its timeline is drawn from, kept as the boot is read and
/// bounded whatever the log holds: the first and last line of each phase rule, each change
/// of the taint flags, and the first lost-lines notices (all of them counted).
public struct BootTimelineEvents: Sendable {
    public static let maxGaps = 1000

    /// First and last event of each phase rule, by rule index.
    public var phaseLines: [Int: (first: Event, last: Event)] = [:]
    /// Events whose taint flags differ from the previous taint line's.
    public var taintChanges: [Event] = []
    /// Lost-lines notices, the first `maxGaps` of them.
    public var gaps: [Event] = []
    /// Every lost-lines notice, and the lines they say were lost.
    public var gapCount = 0
    public var linesLost = 0
    private var lastTaint: String?

    public init() {}

    mutating func add(_ event: Event, phase: Bool, taint: Bool, lost: Bool) {
        if phase {
            // In place: reading the pair out copied both events (their strings and fields).
            if phaseLines[event.rule] != nil {
                phaseLines[event.rule]!.last = event
            } else {
                phaseLines[event.rule] = (event, event)
            }
        }
        if taint {
            let flags = BootTimelineEvents.flags(event.fields["taint"])
            if flags != lastTaint {
                lastTaint = flags
                taintChanges.append(event)
            }
        }
        if lost {
            gapCount += 1
            linesLost += event.fields["count"].flatMap { Int($0) } ?? 0
            if gaps.count < BootTimelineEvents.maxGaps { gaps.append(event) }
        }
    }

    /// `G        W  ` → `GW`-style flags without padding: "G W"; nil capture → "" (not tainted).
    static func flags(_ capture: String?) -> String {
        guard let capture else { return "" }
        // Byte by byte: splitting and joining allocated per taint line. The flags are capital
        // letters and spaces (the rule's capture), so bytes and characters are the same.
        var out: [UInt8] = []
        out.reserveCapacity(capture.utf8.count)
        var pendingSpace = false
        for byte in capture.utf8 {
            if byte == UInt8(ascii: " ") {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(UInt8(ascii: " ")) }
            pendingSpace = false
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
