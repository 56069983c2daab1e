import ArgumentParser
import DmesgScan

/// Developer commands used by the benchmark: the decoder alone, without lines or rules.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools (used by scripts/bench).", shouldDisplay: false, subcommands: [Decode.self])

    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Decode inputs (zlib, xz, libarchive) and count the bytes: the decode limit.")
        @Argument var inputs: [String]

        func run() throws {
            var total = 0
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
            defer { buffer.deallocate() }
            for path in inputs {
                do {
                    switch try InputOpener.open(.file(path)) {
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
