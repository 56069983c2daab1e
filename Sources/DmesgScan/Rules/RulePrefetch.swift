import Dispatch
import Synchronization
import Yams

/// Reads and parses the shipped rule files' YAML on a thread of its own while the command
/// line is parsed: both are most of start-up (about 45 M instructions each), and every
/// `dmesg | dmesgscan` and every batch run waits for them. `RuleLoader.load(paths:)` takes
/// a file's parse from here when the file's text is still the text parsed, and parses it
/// itself otherwise, so what it loads is the same either way.
public enum RulePrefetch {
    private struct Parsed: @unchecked Sendable {
        let text: String
        let root: Result<Node?, YamlError>
    }

    private static let parsed = Mutex<[String: Parsed]>([:])
    private static let started = Atomic<Bool>(false)
    private static let finished = DispatchSemaphore(value: 0)

    /// Starts parsing every rule file under `paths` (once per process; later calls do nothing).
    public static func start(paths: [String]) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        DedicatedThread.start {
            defer { finished.signal() }
            for path in paths {
                for file in RuleFile.yamlFiles(in: path) ?? [] {
                    guard let text = try? RuleFile.read(file) else { continue }
                    let root: Result<Node?, YamlError>
                    do { root = .success(try RuleLoader.compose(text)) } catch let error as YamlError {
                        root = .failure(error)
                    } catch {
                        continue  // not a YAML error: the loader meets it again and reports it
                    }
                    parsed.withLock { $0[file] = Parsed(text: text, root: root) }
                }
            }
        }
    }

    /// The parse of `file` made ahead, when its text is `text` (nil: parse it now). Waits
    /// for the prefetch to end, so that a file is never parsed twice at once.
    static func take(_ file: String, text: String) -> Result<Node?, YamlError>? {
        guard started.load(ordering: .acquiring) else { return nil }
        finished.wait()
        finished.signal()  // for the next file
        return parsed.withLock { table -> Result<Node?, YamlError>? in
            guard let entry = table.removeValue(forKey: file), entry.text == text else { return nil }
            return entry.root
        }
    }
}
