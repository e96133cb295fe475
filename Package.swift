// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "mailtui",
    products: [
        .executable(name: "mailtui", targets: ["MailTUI"]),
        .library(name: "MailCore", targets: ["MailCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.30.0"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
    ],
    targets: [
        /// ncursesw, imported through a module map; see Sources/CNcurses/shim.h for the macros.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        /// SQLite (Debian's libsqlite3), for the message store's index.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        /// Typed wrappers for libcurl's variadic calls, which Swift cannot import.
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        /// DNS queries through the C library's resolver (res_nquery), for the domain checks.
        .target(
            name: "CResolv",
            path: "Sources/CResolv",
            linkerSettings: [.linkedLibrary("resolv")]
        ),
        // MailCore's libraries, lowest first; each may import only those listed above it.
        /// Utilities and the words client and server share: stages, replies, transcript lines.
        .target(
            name: "MailSupport",
            dependencies: ["CCurl"],
            path: "Sources/MailSupport"
        ),
        /// What to connect to and how (ServerSettings), and the catalogue of known providers.
        .target(
            name: "MailSettings",
            dependencies: ["MailSupport"],
            path: "Sources/MailSettings"
        ),
        /// DNS and a domain's mail records: SPF, DKIM keys, DMARC, MX, reverse DNS.
        .target(
            name: "MailChecks",
            dependencies: ["MailSupport", "MailSettings", "CResolv"],
            path: "Sources/MailChecks"
        ),
        /// The message: writing it (MIME), reading it back, signing and verifying it (DKIM).
        .target(
            name: "MailMessage",
            dependencies: [
                "MailSupport", "MailChecks",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Sources/MailMessage"
        ),
        /// The SMTP client engine over libcurl, and the classification of its failures.
        .target(
            name: "MailClient",
            dependencies: ["MailSupport", "MailSettings", "MailMessage", "CCurl"],
            path: "Sources/MailClient"
        ),
        /// OAuth2 sign-in (device code, browser with PKCE), the token store and its refresh.
        .target(
            name: "MailOAuth",
            dependencies: ["MailSupport", "MailSettings", "CCurl", .product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/MailOAuth"
        ),
        /// A failure in words (with the provider's tips), the probe summary, the port auto-probe.
        .target(
            name: "MailDiagnosis",
            dependencies: ["MailSupport", "MailSettings", "MailClient", "MailOAuth"],
            path: "Sources/MailDiagnosis"
        ),
        /// The app's files: profiles, credentials, history, drafts, Flask settings.
        .target(
            name: "MailAppData",
            dependencies: ["MailSupport", "MailSettings", "MailMessage", "MailClient", "MailOAuth", "MailDiagnosis"],
            path: "Sources/MailAppData"
        ),
        /// The top layer: the send service, and every library above re-exported.
        .target(
            name: "MailCore",
            dependencies: [
                "MailSupport", "MailSettings", "MailChecks", "MailMessage", "MailClient", "MailOAuth", "MailDiagnosis", "MailAppData", "CCurl",
            ],
            path: "Sources/MailCore"
        ),
        /// The SMTP server side (`mailtui serve`): capture, faults, limits. No UI.
        .target(
            name: "MailServer",
            dependencies: [
                "MailCore",
                "CSQLite",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            path: "Sources/MailServer"
        ),
        .executableTarget(
            name: "MailTUI",
            dependencies: [
                "MailCore",
                "MailServer",
                "CNcurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/MailTUI"
        ),
        /// Test helpers: the SMTP test server, certificates, the Python MIME parser, the tmux driver.
        .target(
            name: "TestSupport",
            dependencies: ["MailCore"],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "MailCoreTests",
            dependencies: [
                "MailCore", "TestSupport", .product(name: "_CryptoExtras", package: "swift-crypto"),
                // Reached with @testable import for their internals.
                "MailSupport", "MailChecks", "MailMessage", "MailClient", "MailOAuth", "MailDiagnosis", "MailAppData",
            ],
            path: "Tests/MailCoreTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["MailCore", "TestSupport", "MailClient", "MailOAuth", "MailAppData"],
            path: "Tests/IntegrationTests"
        ),
        .testTarget(
            name: "MailTUITests",
            dependencies: ["MailTUI", "MailCore", "MailServer", "TestSupport", "MailClient"],
            path: "Tests/MailTUITests",
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "MailServerTests",
            dependencies: [
                "MailServer", "MailCore", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/MailServerTests"
        ),
        /// The compose screen's frame times, outside the shipped binary: figures with
        /// MAILTUI_BENCH=1 (bench/screen.sh), one quiet frame per case otherwise.
        .testTarget(
            name: "Benchmarks",
            dependencies: ["MailTUI", "MailCore"],
            path: "Tests/Benchmarks"
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MailCore", "TestSupport"],
            path: "Tests/EndToEndTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
