import ArgumentParser
import MailCore
#if canImport(Glibc)
import Glibc
#endif

// A parent may have started mailtui with signals blocked (the mask survives exec); Ctrl-C, SIGTERM
// and SIGHUP must work whatever it did.
var noSignalsBlocked = sigset_t()
sigemptyset(&noSignalsBlocked)
sigprocmask(SIG_SETMASK, &noSignalsBlocked, nil)

// Past a file-size limit a write should fail (and the history say so), not kill the process.
signal(SIGXFSZ, SIG_IGN)

// `mailtui sendmail`, or a symlink named sendmail: sendmail's flags and exit statuses.
if let words = SendmailEntry.sendmailWords(RawPath.arguments()) { SendmailEntry.main(words) }

var command: ParsableCommand
if let unknown = RootCommand.unknownCommand(Array(RawPath.arguments().dropFirst())) {
    Console.errLines(unknown)
    exit(ExitStatus.badInput.rawValue)
}
do {
    // File names may not be UTF-8: keep their bytes (see RawPath).
    command = try RootCommand.parseAsRoot(RootCommand.choosingTheDefault(Array(RawPath.arguments().dropFirst())))
} catch {
    // Usage mistakes are bad input (status 2), like every other problem found before sending.
    if RootCommand.exitCode(for: error).rawValue == 64 {
        Console.errLines(RootCommand.fullMessage(for: error))
        exit(ExitStatus.badInput.rawValue)
    }
    RootCommand.exit(withError: error)
}
// libcurl's global set-up must happen on the main thread before any other thread starts; not
// before the options are read (--help and --version need none of it).
CurlRuntime.initialize()
do {
    try command.run()
} catch let error as ValidationError {
    // Found while running (a missing password, an unknown profile): the options parsed, so no
    // usage line, only what is wrong.
    Console.err("error: \(error.message)")
    exit(ExitStatus.badInput.rawValue)
} catch {
    let code = RootCommand.exitCode(for: error)
    // Usage mistakes are bad input (status 2), like every other problem found before sending.
    if code.rawValue == 64 {
        Console.errLines(RootCommand.fullMessage(for: error))
        exit(ExitStatus.badInput.rawValue)
    }
    RootCommand.exit(withError: error)
}
