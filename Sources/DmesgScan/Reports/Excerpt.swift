/// A report's lines as printed, with their line numbers: the bytes of all of them in one
/// buffer and where each ends, not a String per line. Reports keep up to 120 lines and a
/// large log has hundreds of thousands of them: a String each (made while grouping, released
/// after output) cost about an eighth of a scan's CPU time (`-f prom`, 411 MB of real logs).
/// A line is decoded when it is read, as `String(decoding:)` (invalid UTF-8 repaired).
public struct Excerpt: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    private struct Mark: Sendable {
        var line: Int
        /// One past the line's last byte in `bytes`.
        var end: Int
    }

    private var bytes: [UInt8] = []
    private var marks: [Mark] = []

    public init() {}

    public init(_ lines: some Sequence<(line: Int, text: String)>) {
        for (line, text) in lines { append(line: line, text: text) }
    }

    public init(arrayLiteral lines: (line: Int, text: String)...) {
        self.init(lines)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { marks.count }

    public subscript(position: Int) -> (line: Int, text: String) {
        (marks[position].line, withBytes(at: position) { String(decoding: $0, as: UTF8.self) })
    }

    /// The line at `position` as it was read (not decoded).
    public func withBytes<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = position == 0 ? 0 : marks[position - 1].end
        return bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<marks[position].end])) }
    }

    public mutating func append(line: Int, bytes text: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: text)
        marks.append(Mark(line: line, end: bytes.count))
    }

    public mutating func append(line: Int, text: String) {
        var text = text
        text.withUTF8 { append(line: line, bytes: UnsafeRawBufferPointer($0)) }
    }
}
