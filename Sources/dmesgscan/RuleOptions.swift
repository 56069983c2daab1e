import ArgumentParser
import DmesgScan

struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: "A directory or file of extra rules (repeatable).")
    var extraRules: [String] = []

    @Flag(help: "Use only the rules given with --rules.")
    var noDefaultRules = false

    func load() throws -> RuleSet {
        let loader = try loadFiles()
        do { return try RuleSet(loader) } catch { throw Failure("rule error: \(error)") }
    }

    /// `load()`, or a one-line message and exit status 2.
    func loadOrExit() throws -> RuleSet {
        do { return try load() } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
    }

    /// `loadFiles()`, or a one-line message and exit status 2.
    func loadFilesOrExit() throws -> RuleLoader {
        do { return try loadFiles() } catch {
            Console.err("dmesgscan: \(error)")
            throw ExitCode(2)
        }
    }

    /// Reads the rule files without compiling them (for `rules lint`).
    func loadFiles() throws -> RuleLoader {
        var paths: [String] = []
        if !noDefaultRules {
            guard let shipped = RuleLocator.defaultRulesDirectory() else {
                throw Failure("cannot find the shipped rules directory; set DMESGSCAN_RULES or pass --rules DIR")
            }
            paths.append(shipped)
        }
        paths += extraRules
        if paths.isEmpty { throw Failure("no rules: --no-default-rules needs --rules DIR") }
        var loader = RuleLoader()
        do { try loader.load(paths: paths) } catch { throw Failure("rule error: \(error)") }
        return loader
    }
}

/// An error that ends the command with status 2 and a one-line message.
struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
