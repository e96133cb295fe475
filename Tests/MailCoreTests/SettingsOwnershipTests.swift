import Foundation
@testable import MailCore
@testable import MailSupport
import Testing
import TestSupport

/// Settings are read only from the user's own folders: with HOME unset they went to `/tmp/.config`,
/// which any local user can prepare, and a planted `config.toml` ran its `password_cmd`.
@Suite struct SettingsOwnershipTests {
    /// The home folder in the password database, as the test runs.
    static var passwordHome: String { String(cString: getpwuid(getuid())!.pointee.pw_dir) }

    @Test(arguments: [nil, "", "relative/home"])
    func withoutHomeTheFoldersAreInTheUsersOwnHome(_ home: String?) {
        let environment: XDGPaths.Environment = { $0 == "HOME" ? home : nil }
        #expect(XDGPaths.home(environment) == Self.passwordHome)
        #expect(XDGPaths.configDirectory(environment) == Self.passwordHome + "/.config/mailtui")
        #expect(XDGPaths.stateDirectory(environment) == Self.passwordHome + "/.local/state/mailtui")
        #expect(XDGPaths.dataDirectory(environment) == Self.passwordHome + "/.local/share/mailtui")
        #expect(!XDGPaths.configDirectory(environment).hasPrefix("/tmp"))
    }

    @Test func homeAndXDGVariablesStillWin() {
        let environment: XDGPaths.Environment = { ["HOME": "/home/zoe", "XDG_CONFIG_HOME": "/cfg"][$0] }
        #expect(XDGPaths.configDirectory(environment) == "/cfg/mailtui")
        #expect(XDGPaths.stateDirectory(environment) == "/home/zoe/.local/state/mailtui")
    }

    /// `$XDG_CONFIG_HOME/mailtui/config.toml` with a password command in it.
    private func planted() -> (base: String, folder: String, file: ConfigFile) {
        let base = TestPaths.temporaryDirectory("mailtui-config")
        let folder = base + "/mailtui"
        FileContents.makeDirectories(folder)
        let path = folder + "/config.toml"
        TestFiles.write(path, Data("[profiles.w]\nserver = \"h\"\npassword_cmd = \"echo hi\"\n".utf8))
        return (base, folder, ConfigFile(path: path))
    }

    private func refusal(_ file: ConfigFile) -> String? {
        do { _ = try file.load(); return nil } catch { return error.description }
    }

    @Test func ownFilesAreRead() throws {
        let (_, _, file) = planted()
        #expect(try file.load().profiles.map(\.name) == ["w"])
    }

    @Test(arguments: ["file", "folder", "base"])
    func aFileOrFolderThatOthersCanChangeIsRefusedWithTheCommandThatFixesIt(_ which: String) throws {
        let (base, folder, file) = planted()
        let path = ["file": file.path, "folder": folder, "base": base][which]!
        #expect(chmod(path, which == "file" ? 0o666 : 0o777) == 0)
        let message = try #require(refusal(file), "\(path) can be changed by anyone, yet it was read")
        #expect(message.contains("chmod go-w \(path)"), "\(message)")
    }

    @Test func aSharedFolderAboveIsAllowedWhenSticky() throws {
        let (base, _, file) = planted()
        #expect(chmod(base, 0o1777) == 0)
        #expect(try file.load().profiles.count == 1, "as /tmp: nobody can replace another user's folder in it")
    }

    @Test(.enabled(if: getuid() == 0, "only root can give a file to another user"), arguments: ["file", "folder"])
    func aFileOrFolderOfAnotherUserIsRefused(_ which: String) throws {
        let (_, folder, file) = planted()
        let path = which == "file" ? file.path : folder
        #expect(chown(path, 65534, 65534) == 0)
        let message = try #require(refusal(file), "\(path) belongs to another user, yet it was read")
        #expect(message.contains(path) && message.contains("not to you"), "\(message)")
    }

    /// profiles.toml kept as a link (dotfiles in a repository) was replaced by a regular file when
    /// a profile was saved; the file it points to is written instead, as with config.toml.
    @Test func savingThroughALinkedProfilesFileKeepsTheLink() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-config")
        let real = TestPaths.temporaryDirectory("mailtui-dotfiles") + "/profiles.toml"
        TestFiles.write(real, Data("[profiles.old]\nserver = \"old.example.com\"\n".utf8))
        #expect(symlink(real, folder + "/profiles.toml") == 0)
        let file = ConfigFile(path: folder + "/profiles.toml")
        var config = try file.load()
        config.profiles.append(Profile(name: "new", settings: ServerSettings(host: "new.example.com")))
        try file.save(config)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/profiles.toml")) == real, "still a link")
        let text = String(decoding: FileContents.read(real) ?? [], as: UTF8.self)
        #expect(text.contains("new.example.com") && text.contains("old.example.com"), "\(text)")
        #expect(try file.load().profiles.map(\.name) == ["old", "new"])
    }

    @Test func aLinkToAFileOthersCanChangeIsNotWrittenThrough() throws {
        let folder = TestPaths.temporaryDirectory("mailtui-config")
        let shared = TestPaths.temporaryDirectory("mailtui-shared")
        #expect(chmod(shared, 0o777) == 0)
        #expect(symlink(shared + "/profiles.toml", folder + "/profiles.toml") == 0)
        #expect(throws: ConfigError.self) { try ConfigFile(path: folder + "/profiles.toml").save(MailtuiConfig()) }
        #expect(!FileContents.exists(shared + "/profiles.toml"))
    }
}
