/// A contextual rule's match on a line of an open report, read in place: a call trace has
/// a frame per line, and building each frame's event (a dictionary of every capture and a
/// copy of the line) cost more than matching it. Valid only inside the `runContextual`
/// callback, while the regex still holds this match.
public struct ContextualMatch {
    /// Unowned: the match lives only inside the callback, while the rule set holds the regex.
    private unowned(unsafe) let regex: PCRE2Regex
    private let message: UnsafeRawBufferPointer

    init(regex: PCRE2Regex, message: UnsafeRawBufferPointer) {
        self.regex = regex
        self.message = message
    }

    /// The text of the named capture, or nil when no group of that name is set. Of groups
    /// that share a name (`(?J)`), the last one set, as in an event's fields.
    public func field(_ name: String) -> String? {
        for group in regex.groupNames.reversed() where group.name == name {
            guard let range = regex.groupRange(group.number) else { continue }
            return String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
        }
        return nil
    }

    /// The same for a name's group numbers, looked up once (`RuleSet.groupNumbers`): a
    /// frame line asks for its function on every line of every call trace.
    public func field(groups: [Int]) -> String? {
        for number in groups {
            guard let range = regex.groupRange(number) else { continue }
            return String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self)
        }
        return nil
    }

    /// Every set named capture, from the pattern's last group to its first (so that taking
    /// the first of each name gives what `field` gives).
    public func forEachField(_ body: (String, String) -> Void) {
        for group in regex.groupNames.reversed() {
            guard let range = regex.groupRange(group.number) else { continue }
            body(group.name, String(decoding: UnsafeRawBufferPointer(rebasing: message[range]), as: UTF8.self))
        }
    }

    /// The matched line's message.
    public var text: String { String(decoding: message, as: UTF8.self) }
}
