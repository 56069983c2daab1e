/// Finds a report's guilty frame as syzkaller does: the steps of the class's stack plan
/// collect candidate frames in order (the banner's function, the faulting instruction, the
/// call trace after it), frames that never explain a report are dropped (the global skip
/// list and the class's own), and the extractor picks one.
enum GuiltyFrameFinder {
    static func find(
        frames: [Report.Frame], bannerLine: Int, bannerFunction: String?, lines: [(line: Int, text: String)],
        plan: StackPlan, namer: FrameNamer
    ) -> String? {
        var cursor = bannerLine
        var candidates: [String] = []
        for step in plan.steps {
            switch step {
            case .banner:
                if let bannerFunction { candidates.append(bannerFunction) }
            case .rip:
                if let rip = frames.first(where: { $0.isInstructionPointer && $0.line >= cursor }) {
                    cursor = rip.line
                    candidates.append(rip.function)
                }
            case .locks:
                candidates += frames.lazy.filter { $0.isLockSite && $0.line > cursor }.map(\.function)
            case .after(let marker):
                if let line = lines.first(where: { $0.line > cursor && marker.matches($0.text) }) {
                    cursor = line.line
                }
            case .trace:
                candidates += frames.lazy.filter { !$0.isInstructionPointer && !$0.isLockSite && $0.line > cursor }.map(\.function)
            }
        }
        // Lazy: the skip list is a large regex, and reports have long traces.
        let usable = candidates.lazy.filter { !namer.isSkipped($0) && !plan.isSkipped($0) }
        switch plan.extractor {
        case .hang:
            // Anchors are looked for among all frames, skipped or not: a wait on RCU names the hang.
            for function in candidates {
                if let name = plan.hangAnchor(function) { return name.isEmpty ? function : name }
            }
            return usable.first
        case .first:
            return usable.first
        case .stall:
            guard var previous = usable.first else { return nil }
            for function in usable {
                if let anchor = namer.stallAnchor(function) { return anchor.isEmpty ? previous : anchor }
                previous = function
            }
            return nil
        }
    }
}
