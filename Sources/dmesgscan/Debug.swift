import ArgumentParser
import DmesgScan

/// Developer commands used by the benchmark: the decoder alone, and the cost of each stage.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Developer tools (used by scripts/bench).", shouldDisplay: false, subcommands: [Decode.self, Stages.self])

    struct Stages: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stages",
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
            // Time spent inside the output writer, measured around its calls (a difference of
            // two whole runs would drown in the noise of a shared machine).
            var inWriter = 0.0
            func scan(upTo stage: PipelineStage, writer: (() -> any ResultWriter)? = nil) {
                let scanner = InputScanner(rules: rules)
                scanner.keepBoots = false
                scanner.lastStage = stage
                var output = writer?()
                var totals = ArchiveTotals()
                for result in scanner.scanInputs(.file(input), onBoot: { path, boot in
                    guard output != nil else { return }
                    inWriter += seconds { output?.boot(boot, input: path, liveFindingsSent: false) }
                    totals.add(boot, input: path)
                }) {
                    inWriter += seconds { output?.finishInput(result) }
                    totals.finishInput(result)
                }
                inWriter += seconds { output?.finish(totals) }
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
            var writerTimes = Array(repeating: [Double](), count: configurations.count)
            for _ in 0..<runs {
                for (index, configuration) in configurations.enumerated() {
                    inWriter = 0
                    times[index].append(seconds(configuration.run))
                    writerTimes[index].append(inWriter)
                }
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            let medians = times.map(median)
            func milliseconds(_ seconds: Double) -> String { String(Int((seconds * 1000).rounded())) }
            Console.out("stage\tms\tcumulative ms\n")
            let stages = PipelineStage.allCases.count
            for (index, configuration) in configurations.enumerated() {
                // A stage costs what it adds to the one before; an output format, the time inside its writer.
                let cost = index < stages ? medians[index] - (index == 0 ? 0 : medians[index - 1]) : median(writerTimes[index])
                Console.out("\(configuration.name)\t\(milliseconds(cost))\t\(milliseconds(medians[index]))\n")
            }
        }
    }

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "decode", abstract: "Decode inputs (gzip, xz, libarchive) and count the bytes: the decode limit.")
        @Option(help: "The deflate decoder for gzip: isal (what scans use) or zlib (the benchmark's reference).")
        var inflater: InflaterKind = .isal
        @Argument var inputs: [String]

        func run() throws {
            var total = 0
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            for path in inputs {
                do {
                    switch try InputOpener.open(.file(path), inflater: inflater) {
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

extension InflaterKind: ExpressibleByArgument {}
