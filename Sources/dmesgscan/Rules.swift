import ArgumentParser
import DmesgScan

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the rules or run their embedded tests.",
        subcommands: [List.self, Test.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List rules and invariants: id, kind, level, file.")
        @OptionGroup var ruleOptions: RuleOptions

        func run() throws {
            let rules: RuleSet
            do { rules = try ruleOptions.load() } catch {
                Console.err("dmesgscan: \(error)")
                throw ExitCode(2)
            }
            for rule in rules.rules {
                let kind = rule.report.map { "report:\($0.rawValue)" } ?? rule.boot.map { "boot:\($0.rawValue)" } ?? (rule.anchors.isEmpty ? "event" : "anchor")
                Console.out("\(rule.id)\t\(kind)\t\(rule.level.rawValue)\t\(rule.location)\n")
            }
            for invariant in rules.invariants {
                Console.out("\(invariant.id)\tinvariant\t\(invariant.level.rawValue)\t\(invariant.location)\n")
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run every rule's `tests:`; exit 1 on any failure.")
        @OptionGroup var ruleOptions: RuleOptions

        func run() throws {
            let rules: RuleSet
            do { rules = try ruleOptions.load() } catch {
                Console.err("dmesgscan: \(error)")
                throw ExitCode(2)
            }
            let (count, failures) = RuleSelfTest.run(rules)
            for failure in failures { Console.out("\(failure)\n") }
            Console.out("\(count) rule examples, \(failures.count) failed\n")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}
