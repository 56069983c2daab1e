#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Runs work that blocks (waits on a semaphore, a signal, a pipe) on a thread of its own.
/// Dispatch's global queue has about one worker per core and cannot tell that a worker is
/// blocked, so work queued behind blocked workers waited for its thread monitor, which
/// added one only after most of a second (measured: a `.gz` read ahead started 0.8 s late).
public enum DedicatedThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new detached thread (on Dispatch's queue if none can be made).
    public static func start(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        if started == 0 {
            pthread_detach(thread)
        } else {
            Unmanaged<Body>.fromOpaque(context).release()
            DispatchQueue.global().async(execute: body)
        }
    }
}
