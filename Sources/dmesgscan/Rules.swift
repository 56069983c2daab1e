import ArgumentParser
import DmesgScan

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules or run their embedded tests.",
        subcommands: [List.self, Test.self, Lint.self, Export.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List rules and invariants: id, kind, level, file.")
        @OptionGroup var ruleOptions: RuleOptions

        func run() throws {
            let rules = try ruleOptions.loadOrExit()
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
        static let configuration = CommandConfiguration(commandName: "test", abstract: "Run every rule's `tests:`; exit 1 on any failure.")
        @OptionGroup var ruleOptions: RuleOptions

        func run() throws {
            let rules = try ruleOptions.loadOrExit()
            let (count, failures) = RuleSelfTest.run(rules)
            for failure in failures { Console.out("\(failure)\n") }
            Console.out("\(count) rule examples, \(failures.count) failed\n")
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check rule files: compile errors (file:line:column), duplicate ids, rules the prefilter cannot use.")
        @OptionGroup var ruleOptions: RuleOptions
        @Flag(help: "Also flag PCRE-only constructs (lookaround, atomic groups, backreferences...).")
        var portable = false

        func run() throws {
            let loader = try ruleOptions.loadFilesOrExit()
            let messages = RuleLinter.lint(loader, portable: portable)
            for message in messages { Console.out("\(message)\n") }
            let errors = messages.filter { $0.severity == .error }.count
            Console.out("\(loader.rules.count) rules, \(loader.invariants.count) invariants: \(errors) errors, \(messages.count - errors) warnings\n")
            if errors > 0 { throw ExitCode(1) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Print the rules' patterns as one PCRE alternation for `grep -P` or `rg -P` (used by scripts/bench).")
        @OptionGroup var ruleOptions: RuleOptions

        func run() throws {
            let loader = try ruleOptions.loadFilesOrExit()
            Console.out(RuleExport.alternation(loader.rules) + "\n")
        }
    }
}
