import Dispatch
import Synchronization

/// Scans many inputs on `jobs` worker threads and hands the results back in input order,
/// so the output is the same whatever the number of workers. Each worker compiles its own
/// rules (PCRE2 match data is per thread); the prefilter is built once per worker, not per file.
public final class BatchScanner: Sendable {
    public let loader: RuleLoader
    public let jobs: Int
    /// Inputs scanned ahead of the one being delivered: finished results wait for their
    /// turn, so this bounds the memory they hold.
    public let window: Int

    public init(loader: RuleLoader, jobs: Int) {
        self.loader = loader
        self.jobs = max(1, jobs)
        self.window = 4 * self.jobs
    }

    /// Scans `items`; `deliver` is called on the calling thread with each item's results,
    /// in order, as soon as it and every item before it are done.
    public func run(_ items: [InputExpander.Item], deliver: (Int, [InputResult]) -> Void) throws(RuleError) {
        // The first worker's rules are built here, so that an error is thrown to the caller;
        // the others build theirs on their own threads, beside it (the same rules compile
        // there too, and a worker without them only leaves its share to the others).
        let first = try RuleSet(loader)
        let workers = min(jobs, max(items.count, 1))
        let slots = Mutex<[[InputResult]?]>(Array(repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        let ready = (0..<items.count).map { _ in DispatchSemaphore(value: 0) }
        // A ticket per input being scanned or waiting to be delivered. The earliest input
        // not yet delivered always holds one, so a worker waiting here never blocks it.
        let tickets = DispatchSemaphore(value: window)
        let group = DispatchGroup()
        let firstRules = UncheckedRules(first)
        for worker in 0..<workers {
            group.enter()
            DedicatedThread.start { [loader] in
                defer { group.leave() }
                guard let rules = worker == 0 ? firstRules.value : try? RuleSet(loader) else { return }
                let scanner = InputScanner(rules: rules)
                while true {
                    tickets.wait()
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < items.count else {
                        tickets.signal()
                        return
                    }
                    let results: [InputResult]
                    switch items[index] {
                    case .input(let location): results = scanner.scanInputs(location)
                    case .error(let path, let error): results = [InputResult.failed(path, error)]
                    }
                    slots.withLock { $0[index] = results }
                    ready[index].signal()
                }
            }
        }
        for index in items.indices {
            ready[index].wait()
            let results = slots.withLock { slots -> [InputResult] in
                defer { slots[index] = [] }  // free memory once delivered
                return slots[index]!
            }
            deliver(index, results)
            tickets.signal()
        }
        group.wait()
    }
}

/// The first worker's rules, built on the calling thread and used by that worker alone.
private struct UncheckedRules: @unchecked Sendable {
    let value: RuleSet
    init(_ value: RuleSet) { self.value = value }
}
