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

    /// Scans `items`; `deliver` is called with each item's results, in order, as soon as it
    /// and every item before it are done, one call at a time. With one worker it runs on the
    /// calling thread, beside the worker; with more, on whichever worker finds the next item
    /// ready, so that the output is made on the cores the scans use and no third thread
    /// takes turns with them (which cost each worker about a tenth of its speed).
    public func run(_ items: [InputExpander.Item], deliver: (Int, [InputResult]) -> Void) throws(RuleError) {
        // The first worker's rules are built here, so that an error is thrown to the caller;
        // the others build theirs on their own threads, beside it (the same rules compile
        // there too, and a worker without them only leaves its share to the others).
        let first = try RuleSet(loader)
        let workers = min(jobs, max(items.count, 1))
        let handoff = Mutex(Handoff(count: items.count))
        let next = Atomic<Int>(0)
        let ready = workers == 1 ? (0..<items.count).map { _ in DispatchSemaphore(value: 0) } : []
        // A ticket per input being scanned or waiting to be delivered. The earliest input
        // not yet delivered always holds one, so a worker waiting here never blocks it.
        let tickets = DispatchSemaphore(value: window)
        let group = DispatchGroup()
        let firstRules = UncheckedRules(first)
        withoutActuallyEscaping(deliver) { deliver in
            let delivery = Delivery(deliver)
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
                        if workers == 1 {
                            handoff.withLock { $0.slots[index] = results }
                            ready[index].signal()
                            continue
                        }
                        // Whoever stores the next item to deliver delivers it, and what
                        // became ready meanwhile; the flag is read and cleared under the lock,
                        // so an item stored while another worker delivers is never left.
                        var delivers = handoff.withLock { $0.store(results, at: index) }
                        while delivers {
                            guard let (position, done) = handoff.withLock({ $0.takeNext() }) else {
                                delivers = false
                                break
                            }
                            delivery.call(position, done)
                            tickets.signal()
                        }
                    }
                }
            }
            if workers == 1 {
                for index in items.indices {
                    ready[index].wait()
                    let results = handoff.withLock { $0.take(index) }
                    deliver(index, results)
                    tickets.signal()
                }
            }
            group.wait()
            delivery.end()
        }
    }
}

/// Finished results waiting for their turn, and which worker, if any, is delivering.
private struct Handoff: ~Copyable {
    var slots: [[InputResult]?]
    var next = 0
    var delivering = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// Stores an item's results; true if the caller is to deliver (nobody else is).
    mutating func store(_ results: [InputResult], at index: Int) -> Bool {
        slots[index] = results
        guard !delivering, index == next else { return false }
        delivering = true
        return true
    }

    /// The next item in order if it is done; otherwise nil, and the delivery ends.
    mutating func takeNext() -> (Int, [InputResult])? {
        guard next < slots.count, slots[next] != nil else {
            delivering = false
            return nil
        }
        defer { next += 1 }
        return (next, take(next))
    }

    mutating func take(_ index: Int) -> [InputResult] {
        defer { slots[index] = [] }  // free memory once delivered
        return slots[index]!
    }
}

/// The caller's `deliver`, called from worker threads one at a time (the handoff's flag
/// admits one deliverer) while `run` waits for them all. `run` lets go of it once they are
/// done: a thread's captures may outlive its last call, and the closure must not.
private final class Delivery: @unchecked Sendable {
    private var deliver: ((Int, [InputResult]) -> Void)?
    init(_ deliver: @escaping (Int, [InputResult]) -> Void) { self.deliver = deliver }
    func call(_ index: Int, _ results: [InputResult]) { deliver!(index, results) }
    func end() { deliver = nil }
}

/// The first worker's rules, built on the calling thread and used by that worker alone.
private struct UncheckedRules: @unchecked Sendable {
    let value: RuleSet
    init(_ value: RuleSet) { self.value = value }
}
