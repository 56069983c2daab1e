import DmesgScan
import Foundation
import Testing

/// `--format html`: one self-contained file, each boot with its SVG timeline and its verdicts
/// in words, opened in headless Chromium (installed by `make test` where it can be; skipped
/// with a notice where it is not): a screenshot, and the DOM checked boot by boot.
@Suite("CLI: the HTML report")
struct HTMLReportTests {
    let cli = CommandLineTests()
    /// A 7.1 boot that frees after page_alloc_init_late, and a 6.6 boot that frees early.
    static var corpusBoots: [String] {
        ["/mail/boot-x86/cgroups/cgroups_a5d1d1c67c_1_390386004b.log", "/mail/boot-x86/linux-input/linux-input_bc2b125577_1_330237354f.log"]
            .map { TestSupport.corpusDirectory + $0 }
    }
    static var sampleBoots: [String] {
        ["pass-7.1-caller-id.log", "fail-6.8-deferred.log"].map { TestSupport.samplesDirectory + "/" + $0 }
    }

    var inputs: [String] {
        if HTMLReportTests.corpusBoots.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) { return HTMLReportTests.corpusBoots }
        print("notice: corpus absent; the HTML test renders the samples instead")
        return HTMLReportTests.sampleBoots
    }

    static func chromium() -> String? {
        for name in ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"] {
            for dir in ["/usr/bin", "/usr/local/bin", "/snap/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    @Test func theFileFetchesNothingAndDrawsEveryBoot() throws {
        let run = try cli.run(["--format", "html"] + inputs + [TestSupport.samplesDirectory + "/serial-console-three-boots.log"])
        #expect(run.status <= 1, "\(run.stderr)")
        let html = run.stdout
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.hasSuffix("</html>\n"))
        for forbidden in ["<script", "<link", "src=", "url(", "@import", "http://", "https://"] {
            #expect(!html.contains(forbidden), "the report must not fetch anything: found \(forbidden)")
        }
        let boots = html.components(separatedBy: "<details class=\"boot\"").count - 1
        #expect(boots == 5)
        #expect(html.components(separatedBy: "<svg class=\"timeline\"").count - 1 == boots)
        #expect(html.contains("<section id=\"summary\">"))
        // Words, not only colour: an expected (unenforced) failure says so, and is grey.
        #expect(html.contains("<span class=\"v expected\" title=\"x86.smp-locks-after-page-alloc-init-late\">fail, not enforced</span>"))
        #expect(html.contains("<span class=\"v pass\" title=\"x86.smp-locks-after-page-alloc-init-late\">PASS</span>"))
        // Log text is escaped, not markup.
        let hostile = TestSupport.temporaryFile("hostile.log", Array("[    0.000000] Linux version 6.1.0 (<b>x</b>) #1\n[    1.000000] WARNING: CPU: 0 PID: 1 at a.c:1 f<script>alert(1)</script>+0x1/0x2\n".utf8))
        let escaped = try cli.run(["--format", "html", hostile]).stdout
        #expect(!escaped.contains("<script>") && !escaped.contains("<b>x</b>"))
    }

    @Test func chromiumShowsEachBootsTimelineAndVerdict() throws {
        guard let browser = HTMLReportTests.chromium() else {
            print("notice: headless Chromium is missing (apt-get install chromium-headless-shell); skipping the browser check of the HTML report")
            return
        }
        let dir = TestSupport.scratchRoot + "/html-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let page = dir + "/report.html"
        let made = try cli.run(["--format", "html", "-o", page] + inputs)
        #expect(made.status <= 1, "\(made.stderr)")
        let shot = NSTemporaryDirectory() + "dmesgscan-html-report.png"
        let flags = ["--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,1600"]
        let screenshot = try cli.runProgram(browser, flags + ["--screenshot=\(shot)", "file://\(page)"])
        #expect(screenshot.status == 0, "\(screenshot.stderr)")
        let size = (try? FileManager.default.attributesOfItem(atPath: shot)[.size] as? Int) ?? 0
        #expect(size > 10_000, "screenshot \(shot) is \(size) bytes")
        print("measured: HTML report screenshot at \(shot) (\(size) bytes)")
        let dom = try cli.runProgram(browser, flags + ["--dump-dom", "file://\(page)"])
        #expect(dom.status == 0, "\(dom.stderr)")
        // Boot by boot, through the DOM Chromium built: a timeline with phase bands, and the
        // smp_locks verdict in words.
        let check = """
            import sys
            from html.parser import HTMLParser
            class Boots(HTMLParser):
                def __init__(self):
                    super().__init__(); self.boots = []; self.span = None
                def handle_starttag(self, tag, attrs):
                    a = dict(attrs)
                    if tag == "details" and "boot" in a.get("class", "").split():
                        self.boots.append({"svg": 0, "phases": 0, "verdict": None})
                    if not self.boots: return
                    b = self.boots[-1]
                    if tag == "svg" and a.get("class") == "timeline": b["svg"] += 1
                    if tag == "g" and a.get("class", "").startswith("phase"): b["phases"] += 1
                    if tag == "span" and a.get("title") == "x86.smp-locks-after-page-alloc-init-late": self.span = b
                def handle_data(self, data):
                    if self.span is not None and self.span["verdict"] is None: self.span["verdict"] = data.strip()
                    self.span = None
            p = Boots(); p.feed(sys.stdin.read())
            for b in p.boots: print(b["svg"], b["phases"], b["verdict"], sep="|")
            """
        let parsed = try cli.runProgram("/usr/bin/env", ["python3", "-c", check], stdin: dom.stdout)
        let rows = parsed.stdout.split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2, "\(parsed.stdout)\(parsed.stderr)")
        #expect(rows.allSatisfy { $0.count == 3 && $0[0] == "1" && Int($0[1])! >= 4 }, "\(rows)")
        #expect(rows.map { $0.last ?? "" } == ["PASS", "fail, not enforced"], "\(rows)")
    }

    /// The whole corpus in one report: under 20 MB, and the time Chromium takes to open it.
    @Test func theWholeCorpusStaysSmallEnoughToOpen() throws {
        guard FileManager.default.fileExists(atPath: TestSupport.corpusDirectory) else {
            print("notice: corpus absent; skipping the whole-corpus HTML check")
            return
        }
        let page = TestSupport.scratchRoot + "/corpus-\(UUID().uuidString).html"
        _ = try cli.run(["--format", "html", "-o", page, TestSupport.corpusDirectory])
        let size = (try FileManager.default.attributesOfItem(atPath: page)[.size] as? Int) ?? 0
        #expect(size > 100_000 && size < 20 << 20, "\(size) bytes")
        var opened = "no browser"
        if let browser = HTMLReportTests.chromium() {
            let start = Date()
            let dom = try cli.runProgram(browser, ["--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(page)"])
            #expect(dom.status == 0 && dom.stdout.contains("id=\"summary\""))
            opened = "opened by Chromium in \(String(format: "%.1f", Date().timeIntervalSince(start))) s"
        }
        print("measured: HTML report of the whole corpus: \(size >> 10) KiB, \(opened)")
        try? FileManager.default.removeItem(atPath: page)
    }
}
