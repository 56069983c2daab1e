import ArgumentParser
import DmesgScan

/// Developer commands used by the benchmark: the decoder alone, and the cost of each stage.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools (used by scripts/bench).", shouldDisplay: false, subcommands: [Decode.self, Stages.self])

    struct Stages: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time the pipeline on one input up to each stage, then with each output format (to memory), one thread.")
        @Argument var input: String
        @Option(help: "Runs per stage; the median is printed.") var runs = 3
        @OptionGroup var ruleOptions: RuleOptions

        func run() throws {
            let rules = try ruleOptions.loadOrExit()
            func seconds(_ body: () -> Void) -> Double {
                let start = ContinuousClock.now
                body()
                let elapsed = ContinuousClock.now - start
                return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            }
            func scan(upTo stage: PipelineStage, writer: (() -> any ResultWriter)? = nil) {
                let scanner = InputScanner(rules: rules)
                scanner.keepBoots = false
                scanner.lastStage = stage
                var output = writer?()
                var totals = ArchiveTotals()
                for result in scanner.scanInputs(.file(input), onBoot: { path, boot in
                    output?.boot(boot, input: path, liveFindingsSent: false)
                    if output != nil { totals.add(boot, input: path) }
                }) {
                    output?.finishInput(result)
                    totals.finishInput(result)
                }
                output?.finish(totals)
            }
            // Each run times every configuration once, so a slow moment of a shared machine
            // touches all of them alike; medians over the runs.
            var configurations: [(name: String, run: () -> Void)] = PipelineStage.allCases.map { stage in ("\(stage)", { scan(upTo: stage) }) }
            for format in OutputFormat.allCases {
                let options = try OutputOptions.parse(["--format", format.rawValue, "--output", "-"])
                configurations.append(("output \(format)", {
                    scan(upTo: .ordering) { options.writer(rules: rules, batch: false, failLevel: .warning) { _ in } }
                }))
            }
            var times = Array(repeating: [Double](), count: configurations.count)
            for _ in 0..<runs {
                for (index, configuration) in configurations.enumerated() { times[index].append(seconds(configuration.run)) }
            }
            let medians = times.map { $0.sorted()[$0.count / 2] }
            func milliseconds(_ seconds: Double) -> String { String(Int((seconds * 1000).rounded())) }
            Console.out("stage\tms\tcumulative ms\n")
            let stages = PipelineStage.allCases.count
            for (index, configuration) in configurations.enumerated() {
                // Stages cost what they add to the one before; an output format, what it adds to ordering.
                let base = index == 0 ? 0 : index < stages ? medians[index - 1] : medians[stages - 1]
                Console.out("\(configuration.name)\t\(milliseconds(medians[index] - base))\t\(milliseconds(medians[index]))\n")
            }
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decode inputs (zlib, xz, libarchive) and count the bytes: the decode limit.")
        @Argument var inputs: [String]

        func run() throws {
            var total = 0
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            for path in inputs {
                do {
                    switch try InputOpener.open(.file(path)) {
                    case .stream(var source):
                        while case let n = try source.read(into: buffer), n > 0 { total += n }
                        source.close()
                    case .archive(let reader):
                        while try reader.nextMember() != nil {
                            var member = reader.memberSource()
                            while case let n = try member.read(into: buffer), n > 0 { total += n }
                        }
                    }
                } catch {
                    Console.err("dmesgscan: \(path): \(error)")
                    throw ExitCode(2)
                }
            }
            Console.out("\(total)\n")
        }
    }
}
