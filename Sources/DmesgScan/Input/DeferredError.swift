/// The end-of-stream state of a decoder that reports damage only after handing out every
/// byte decoded before it: an error found while `produced` bytes are waiting is kept for the
/// next read.
struct DeferredError {
    private(set) var finished = false
    private var pending: InputError?

    /// At the start of a read: throws a kept error; true when the stream has ended.
    mutating func check() throws(InputError) -> Bool {
        if let error = pending {
            pending = nil
            finished = true
            throw error
        }
        return finished
    }

    mutating func finish() { finished = true }

    /// Delivers the `produced` bytes now and the error next time, or throws it at once.
    mutating func fail(_ error: InputError, produced: Int) throws(InputError) -> Int {
        if produced == 0 {
            finished = true
            throw error
        }
        pending = error
        return produced
    }
}
