import DmesgScan

#if canImport(Glibc)
import Glibc
#endif

/// The fuzz targets: each takes arbitrary bytes and must neither crash nor hang.
/// `FUZZ_TARGET` picks one: records, gzip, archive, compressed, journal, rules, pipeline, output.
enum FuzzTargets {
    nonisolated(unsafe) static var rules: RuleSet?

    static func run(_ target: String, _ data: [UInt8]) {
        switch target {
        case "records": records(data)
        case "gzip": gzip(data)
        case "archive": archive(data)
        case "compressed": compressed(data)
        case "journal": journal(data)
        case "rules": rulesTarget(data)
        case "pipeline": pipeline(data)
        case "output": OutputFuzzTarget.run(data)
        default:
            let message = "FUZZ_TARGET must be one of: records, gzip, archive, compressed, journal, rules, pipeline, output\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
    }

    /// Every line of the input through the record decoder (all formats).
    static func records(_ data: [UInt8]) {
        let decoder = RecordDecoder()
        var source = MemorySource(data, chunk: 97)
        _ = LineReader(bufferSize: 4096, maxLineLength: 1024).forEachLine(of: &source) { line, number in
            let record = decoder.decode(line, lineNumber: number)
            precondition(record.message.count <= max(line.count, 64 * 1024))
        }
    }

    static func drain(_ source: inout some ByteSource) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 8192, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            do throws(InputError) {
                if try source.read(into: buffer) == 0 { return }
            } catch {
                return
            }
        }
    }

    static func gzip(_ data: [UInt8]) {
        var source = GzipSource(upstream: MemorySource([0x1f, 0x8b] + data, chunk: 61))
        drain(&source)
    }

    static func archive(_ data: [UInt8]) {
        guard let reader = try? ArchiveReader(upstream: MemorySource(data, chunk: 509)) else { return }
        var members = 0
        while members < 64, (try? reader.nextMember()) != nil {
            var source = reader.memberSource()
            drain(&source)
            members += 1
        }
    }

    /// bzip2, zstd, lz4, xz or gzip data (the first byte picks the magic put before the rest)
    /// through the whole input path: detection, decoding, nested layers, then the pipeline.
    static func compressed(_ data: [UInt8]) {
        let magics: [[UInt8]] = [Array("BZh9".utf8), [0x28, 0xB5, 0x2F, 0xFD], [0x04, 0x22, 0x4D, 0x18], [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], [0x1F, 0x8B]]
        guard let selector = data.first else { return }
        var template = Array("/tmp/dmesgscan-fuzz-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return }
        let path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        var bytes = magics[Int(selector) % magics.count] + data.dropFirst()
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if rules == nil { loadRules() }
        _ = InputScanner(rules: rules!).scanInputs(.file(path)) { _, _ in }
    }

    static func loadRules() {
        var loader = RuleLoader()
        let dir = getenv("DMESGSCAN_RULES").map { String(cString: $0) } ?? "rules"
        try! loader.load(paths: [dir])
        rules = try! RuleSet(loader)
    }

    static func journal(_ data: [UInt8]) {
        // A real file, since sd-journal maps it (memfd_create is not exported to Swift here).
        var template = Array("/tmp/dmesgscan-fuzz-XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { return }
        unlink(template)
        var bytes = Array("LPKSHHRH".utf8) + data
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
        lseek(fd, 0, SEEK_SET)
        guard let source = try? JournalSource(.descriptor(fd)) else { return }
        var box = source
        drain(&box)
        box.close()
    }

    static func rulesTarget(_ data: [UInt8]) {
        var loader = RuleLoader()
        guard (try? loader.load(yaml: String(decoding: data, as: UTF8.self), file: "fuzz.yml")) != nil else { return }
        if let set = try? RuleSet(loader) { _ = RuleSelfTest.run(set) }
        _ = RuleLinter.lint(loader, portable: true)
    }

    static func pipeline(_ data: [UInt8]) {
        if rules == nil { loadRules() }
        let scanner = InputScanner(rules: rules!)
        scanner.reader = LineReader(bufferSize: 8192, maxLineLength: 2048)
        var source = MemorySource(data, chunk: 333)
        _ = scanner.scan(source: &source, name: "fuzz")
    }
}
