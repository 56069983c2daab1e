/// Decides where one boot ends and the next begins: at a kernel banner (`Linux version`,
/// recognised by a rule with `boot: start`), at a change of journald boot id or a
/// `-- Boot --` separator, and where printk time goes back to zero.
///
/// A `[0.000000]` line alone does not prove a reboot: secondary CPUs print it mid-boot
/// with their own early clock. So a return to zero is held until the next line with a
/// time: the boot ends there only if time then stays below where it was.
public struct BootSplitter {
    public enum Decision: Equatable {
        /// The record belongs to the current boot.
        case same
        /// The record is the first of a new boot.
        case newBoot
        /// Undecided: keep the record (and those after it) until a `release`.
        case hold
        /// Decided: the held records start a new boot (`split`) or continue the current
        /// one; then the current record follows them.
        case release(split: Bool)
    }

    /// How many records may be held before a return to zero counts as a reboot anyway.
    public var maxHeld = 64
    /// Time must have reached this before a return to zero can be a reboot: early boot
    /// prints a few stamps from a provisional clock (`[0.060000] tsc: ...`) and goes back.
    public var minimumUptime = 1.0
    private var records = 0
    private var hasBanner = false
    private var maxTimestamp: Double?
    private var holding = false
    private var heldCount = 0
    private var maxBeforeHold = 0.0
    private var bootID: UInt64?

    public init() {}

    public mutating func feed(timestamp: Double?, isBanner: Bool, marker: BootMarker? = nil) -> Decision {
        var markerSplits = false
        switch marker {
        case .separator?:
            markerSplits = true
        case .id(let id)?:
            markerSplits = bootID.map { $0 != id } ?? false
            bootID = id
        case nil:
            break
        }
        if markerSplits {
            if holding {
                startBoot(records: heldCount + 1, banner: isBanner, timestamp: timestamp)
                return .release(split: true)
            }
            if records > 0 {
                startBoot(records: 1, banner: isBanner, timestamp: timestamp)
                return .newBoot
            }
        }
        if holding {
            heldCount += 1
            if isBanner {
                startBoot(records: heldCount, banner: true, timestamp: timestamp)
                return .release(split: true)
            }
            if let timestamp, timestamp > 0 {
                let split = timestamp < maxBeforeHold
                if split {
                    startBoot(records: heldCount, banner: false, timestamp: timestamp)
                } else {
                    holding = false
                    records += heldCount
                    maxTimestamp = max(maxBeforeHold, timestamp)
                }
                return .release(split: split)
            }
            if heldCount > maxHeld {
                startBoot(records: heldCount, banner: false, timestamp: 0)
                return .release(split: true)
            }
            return .hold
        }
        if records == 0 {
            startBoot(records: 1, banner: isBanner, timestamp: timestamp)
            return .same
        }
        if isBanner {
            // A second banner, or one after later timestamps (the tail of an earlier boot),
            // starts a boot; untimed lines before a first banner belong to its boot.
            let tailOfEarlierBoot = timestamp.map { t in maxTimestamp.map { $0 > t } ?? false } ?? false
            if hasBanner || tailOfEarlierBoot {
                startBoot(records: 1, banner: true, timestamp: timestamp)
                return .newBoot
            }
            hasBanner = true
        }
        if let timestamp {
            if timestamp == 0, let last = maxTimestamp, last >= minimumUptime {
                holding = true
                heldCount = 1
                maxBeforeHold = last
                return .hold
            }
            maxTimestamp = max(maxTimestamp ?? timestamp, timestamp)
        }
        records += 1
        return .same
    }

    /// A blank line in an established boot: counted, with nothing else to decide. False
    /// when the splitter is holding lines or no boot has started (take `feed` then).
    public mutating func feedBlank(count: Int = 1) -> Bool {
        guard !holding, records > 0 else { return false }
        records += count
        return true
    }

    /// A run of records with no banner, no boot marker and no time of zero (and blank lines)
    /// in an established boot: what `feed` and `feedBlank` would do for each, at once. False
    /// when the splitter is holding lines or no boot has started (take them one by one then).
    public mutating func feedQuiet(count: Int, maxTimestamp timestamp: Double?) -> Bool {
        guard !holding, records > 0 else { return false }
        records += count
        if let timestamp { maxTimestamp = max(maxTimestamp ?? timestamp, timestamp) }
        return true
    }

    /// The input ended while holding: time went back to zero and never came back.
    public mutating func finish() -> Decision {
        guard holding else { return .same }
        startBoot(records: heldCount, banner: false, timestamp: 0)
        return .release(split: true)
    }

    private mutating func startBoot(records: Int, banner: Bool, timestamp: Double?) {
        self.records = records
        hasBanner = banner
        maxTimestamp = timestamp
        holding = false
        heldCount = 0
    }
}
