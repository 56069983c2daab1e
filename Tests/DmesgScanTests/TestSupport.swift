import CZlib
import DmesgScan
import Foundation

/// Shared helpers: paths of the checkout, gzip for fixtures, running the pipeline on text.
enum TestSupport {
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static var rulesDirectory: String { packageRoot + "/rules" }
    static var samplesDirectory: String { packageRoot + "/samples" }
    /// The real-log corpus: DMESGSCAN_CORPUS, else ../shared/corpus beside the repository.
    static var corpusDirectory: String {
        ProcessInfo.processInfo.environment["DMESGSCAN_CORPUS"] ?? packageRoot + "/../shared/corpus"
    }

    static let shippedRules: RuleLoader = {
        var loader = RuleLoader()
        try! loader.load(paths: [rulesDirectory])
        return loader
    }()

    static func ruleSet() -> RuleSet { try! RuleSet(shippedRules) }

    /// One folder per test process for every file and folder the tests make, removed when
    /// the process exits (they used to stay behind in /tmp, a few dozen per run).
    static let scratchRoot: String = {
        let root = NSTemporaryDirectory() + "dmesgscan-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestSupport.scratchRoot) }
        return root
    }()

    static func temporaryFile(_ name: String, _ bytes: [UInt8]) -> String {
        let path = scratchRoot + "/" + UUID().uuidString + "-" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Scans `text` as a file and returns the result.
    static func scan(_ text: String, name: String = "input.log") -> InputResult {
        scanBytes(Array(text.utf8), name: name)
    }

    static func scanBytes(_ bytes: [UInt8], name: String = "input.log") -> InputResult {
        let path = temporaryFile(name, bytes)
        return InputScanner(rules: ruleSet()).scan(.file(path))
    }

    /// gzip-compresses `bytes` as one member.
    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { deflateEnd(stream); stream.deallocate() }
        precondition(czlib_deflate_init2(stream, 6, 31) == Z_OK)
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = UInt32(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = UInt32(outBuf.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
                return outBuf.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    /// A boot log of `lines` filler lines with a banner, for size and boundary tests.
    static func filler(_ count: Int, from start: Int = 0) -> String {
        (start..<(start + count)).map { "[    1.\(String(format: "%06d", $0))] filler line number \($0) with some text\n" }.joined()
    }

    /// The lines of ../shared/reference/real_reports.txt from the one containing `first` to
    /// the next one containing `last`; nil (with a printed notice) when the file is absent.
    static func realReportsExcerpt(from first: String, to last: String) -> String? {
        let path = packageRoot + "/../shared/reference/real_reports.txt"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            print("notice: \(path) is absent; skipping")
            return nil
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains(first) }),
              let end = lines[start...].firstIndex(where: { $0.contains(last) }) else { return nil }
        return lines[start...end].joined(separator: "\n") + "\n"
    }

    static func readSample(_ name: String) -> [UInt8] {
        Array(FileManager.default.contents(atPath: samplesDirectory + "/" + name)!)
    }
}
