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
        let ruleSets = try (0..<min(jobs, max(items.count, 1))).map { (_) throws(RuleError) in try RuleSet(loader) }
        let slots = Mutex<[[InputResult]?]>(Array(repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        let ready = (0..<items.count).map { _ in DispatchSemaphore(value: 0) }
        // A ticket per input being scanned or waiting to be delivered. The earliest input
        // not yet delivered always holds one, so a worker waiting here never blocks it.
        let tickets = DispatchSemaphore(value: window)
        let group = DispatchGroup()
        for worker in ruleSets.indices {
            let scanner = UncheckedScanner(InputScanner(rules: ruleSets[worker]))
            group.enter()
            DedicatedThread.start {
                defer { group.leave() }
                while true {
                    tickets.wait()
                    let index = next.add(1, ordering: .relaxed).oldValue
                    guard index < items.count else {
                        tickets.signal()
                        return
                    }
                    let results: [InputResult]
                    switch items[index] {
                    case .input(let location): results = scanner.value.scanInputs(location)
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

/// An `InputScanner` handed to exactly one worker thread.
private struct UncheckedScanner: @unchecked Sendable {
    let value: InputScanner
    init(_ value: InputScanner) { self.value = value }
}
