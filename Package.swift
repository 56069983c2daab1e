// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dmesgscan",
    products: [
        .library(name: "DmesgScan", targets: ["DmesgScan"]),
        .executable(name: "dmesgscan", targets: ["dmesgscan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2", path: "Sources/CPCRE2", pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CIsal", path: "Sources/CIsal", pkgConfig: "libisal",
            providers: [.apt(["libisal-dev"])]),
        .systemLibrary(
            name: "CArchive", path: "Sources/CArchive", pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),
        .systemLibrary(
            name: "CLzma", path: "Sources/CLzma", pkgConfig: "liblzma",
            providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(
            name: "CBzip2", path: "Sources/CBzip2",
            providers: [.apt(["libbz2-dev"])]),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(
            name: "CLz4", path: "Sources/CLz4", pkgConfig: "liblz4",
            providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(
            name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]),
        .target(
            name: "DmesgScan",
            dependencies: ["CPCRE2", "CZlib", "CIsal", "CArchive", "CLzma", "CBzip2", "CZstd", "CLz4", "CSystemd", .product(name: "Yams", package: "Yams")],
            // The per-line loop touches scanner state millions of times a second; dynamic
            // exclusivity checks cost about a sixth of the run time there (measured with perf).
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        .executableTarget(
            name: "dmesgscan",
            dependencies: ["DmesgScan", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Fuzz targets (scripts/fuzz builds them with libFuzzer; a normal build replays files).
        .executableTarget(name: "dmesgscan-fuzz", dependencies: ["DmesgScan"]),
        .testTarget(
            name: "DmesgScanTests",
            dependencies: ["DmesgScan", "CZlib", "CArchive", "dmesgscan"],
            exclude: ["Fixtures", "Corpus/corpus-output.digests"]),
    ],
    swiftLanguageModes: [.v6]
)
