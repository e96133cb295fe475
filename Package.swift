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
    ],
    targets: [
        /// ncursesw, imported through a module map; see Sources/CNcurses/shim.h for the macros.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        /// Typed wrappers for libcurl's variadic calls, which Swift cannot import.
        .target(
            name: "CCurl",
            path: "Sources/CCurl",
            linkerSettings: [.linkedLibrary("curl")]
        ),
        .target(
            name: "MailCore",
            dependencies: ["CCurl"],
            path: "Sources/MailCore"
        ),
        .executableTarget(
            name: "MailTUI",
            dependencies: [
                "MailCore",
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
            dependencies: ["MailCore", "TestSupport"],
            path: "Tests/MailCoreTests"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["MailCore", "TestSupport"],
            path: "Tests/IntegrationTests"
        ),
        .testTarget(
            name: "MailTUITests",
            dependencies: ["MailTUI", "MailCore", "TestSupport"],
            path: "Tests/MailTUITests",
            exclude: ["Golden"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["MailCore", "TestSupport"],
            path: "Tests/EndToEndTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)
