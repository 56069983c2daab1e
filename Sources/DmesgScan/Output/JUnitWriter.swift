/// JUnit XML, streamed: suites go to a spill file as boots end, and the root element,
/// which carries the counts of all of them, is written first at the end.
public struct JUnitWriter: ResultWriter {
    let emit: (String) -> Void
    let report: JUnitReport
    private let suites = SpillBuffer()
    private var counts = JUnitReport.Counts()
    /// An input's first boot waits for its second: suites are named "PATH boot N" only
    /// when the input has several boots.
    private var firstBoot: BootResult?
    private var severalBoots = false

    public init(report: JUnitReport, emit: @escaping (String) -> Void) {
        self.report = report
        self.emit = emit
    }

    public mutating func boot(_ boot: BootResult, input: String, liveFindingsSent: Bool) {
        if let first = firstBoot {
            firstBoot = nil
            severalBoots = true
            write(first, input: input)
        }
        if severalBoots { write(boot, input: input) } else { firstBoot = boot }
    }

    public mutating func finishInput(_ result: InputResult) {
        if let first = firstBoot { write(first, input: result.path) }
        if let error = result.error {
            add(report.errorSuite(result, error: error))
        } else if result.bootCount == 0 {
            add(report.noKernelLogSuite(result))
        }
        firstBoot = nil
        severalBoots = false
    }

    public mutating func finish(_ totals: ArchiveTotals) {
        emit(report.header(counts))
        suites.drain(emit)
        emit("</testsuites>\n")
    }

    private mutating func write(_ boot: BootResult, input: String) {
        add(report.suite(boot, name: severalBoots ? "\(input) boot \(boot.index + 1)" : input, file: input))
    }

    private mutating func add(_ suite: JUnitReport.Suite) {
        counts.add(suite)
        suites.append(suite.xml)
    }
}
