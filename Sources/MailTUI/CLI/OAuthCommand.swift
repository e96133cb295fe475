import ArgumentParser
import MailCore
#if canImport(Glibc)
import Glibc
#endif

/// `mailtui oauth login|token|list|logout`: OAuth 2.0 sign-in for Microsoft 365 and Gmail, whose
/// SMTP servers are ending password logins. The tokens stay in mailtui's store; only `token`
/// prints one, for msmtp's passwordeval or swaks' --auth-password.
struct OAuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oauth",
        abstract: "Sign in to Microsoft 365 or Gmail with OAuth2, and keep the token fresh (login, token, list, logout).",
        discussion: """
        Send with the account: mailtui send --oauth NAME (or oauth = "NAME" in a profile). \
        Tokens live in $XDG_DATA_HOME/mailtui/oauth/NAME.json (mode 0600, folder 0700); with a \
        Secret Service (secret-tool), the refresh token goes there instead. The README says how to \
        register your own app (--client-id): mailtui ships none.
        """,
        subcommands: [OAuthLoginCommand.self, OAuthTokenCommand.self, OAuthListCommand.self, OAuthLogoutCommand.self]
    )
}

extension OAuthProvider: ExpressibleByArgument {}
extension OAuthFlow: ExpressibleByArgument {}

/// Where `login` keeps the refresh token.
enum RefreshStoreChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, file
    case secretService = "secret-service"
}

struct OAuthLoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in: Microsoft with a device code (RFC 8628), Google in the browser with PKCE; the tokens are stored under the account's name."
    )

    @Option(help: ArgumentHelp("microsoft or google.", valueName: "provider"))
    var provider: OAuthProvider

    @Option(help: ArgumentHelp("The name to store the sign-in under (letters, digits, . _ @ + -).", valueName: "name"))
    var account: String

    @Option(help: ArgumentHelp("Your app registration's client ID (Entra ID or Google Cloud; the README says how to make one). Default: $MAILTUI_OAUTH_CLIENT_ID.", valueName: "id"))
    var clientID: String?

    @Option(help: ArgumentHelp("Read the client secret of a Google desktop client from this environment variable (Google's token endpoint wants it; a Microsoft public client has none).", valueName: "var"))
    var clientSecretEnv: String?

    @Option(help: ArgumentHelp("Microsoft tenant: organizations (default), common, consumers, a tenant ID or domain.", valueName: "tenant"))
    var tenant: String?

    @Option(help: ArgumentHelp("device or browser; default device for Microsoft, browser for Google (Google may refuse the mail scope in the device flow).", valueName: "flow"))
    var flow: OAuthFlow?

    @Option(help: ArgumentHelp("Replace the provider's base URL, keeping its paths (a national cloud such as https://login.microsoftonline.us, or a test authority). https only, except to 127.0.0.1.", valueName: "url"))
    var authority: String?

    @Option(help: ArgumentHelp("The login name, when the token does not say it (default: the id_token's preferred_username or email).", valueName: "name"))
    var user: String?

    @Option(help: ArgumentHelp("Where the refresh token goes: auto (the Secret Service when secret-tool is there, else the file), file, or secret-service.", valueName: "store"))
    var store: RefreshStoreChoice = .auto

    @Flag(help: "Do not start a browser (xdg-open) for the browser flow; only print the URL.")
    var noBrowser = false

    func validate() throws {
        if let problem = TokenStore.problem(withName: account) { throw ValidationError("--account: \(problem).") }
        if let authority, let problem = OAuthHTTP.problem(with: authority) { throw ValidationError("--authority: \(problem).") }
        if tenant != nil && provider == .google { throw ValidationError("--tenant is for Microsoft only.") }
        if let tenant, !OAuthProvider.isTenant(tenant) { throw ValidationError("--tenant takes a tenant name, ID or domain: letters, digits, . and - only.") }
        if store == .secretService && !SecretService.isAvailable {
            throw ValidationError("--store secret-service: no Secret Service here (secret-tool is missing, or there is no session bus); use --store file.")
        }
    }

    func run() throws {
        guard let clientID = clientID ?? OAuthLogin.environment("MAILTUI_OAUTH_CLIENT_ID"), !clientID.isEmpty else {
            Console.err("error: no client ID: give --client-id (or set MAILTUI_OAUTH_CLIENT_ID) with your own app registration. mailtui ships none; the README (OAuth2 sign-in) says how to register one in Entra ID or Google Cloud.")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
        var secret: String?
        if let clientSecretEnv {
            guard let value = OAuthLogin.environment(clientSecretEnv), !value.isEmpty else {
                Console.err("error: --client-secret-env: \(clientSecretEnv) is not set")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            secret = value
        }
        let request = SignInRequest(provider: provider, account: account, clientID: clientID, clientSecret: secret, tenant: tenant, authority: authority)
        let keeper = TokenKeeper(useSecretService: store != .file && SecretService.isAvailable)
        do {
            let result: SignInResult
            switch flow ?? provider.defaultFlow {
            case .device:
                if provider == .google { Console.err("note: Google may refuse the mail scope (https://mail.google.com/) in the device flow; --flow browser is the way it supports.") }
                let authorization = try DeviceCodeFlow.start(request)
                Console.out("To sign in, open \(authorization.verificationURI) and enter the code \(authorization.userCode)")
                Console.out("(the code expires in \(max(1, authorization.expiresIn / 60)) min; mailtui waits and checks every \(authorization.interval) s; Ctrl-C stops it)")
                result = try DeviceCodeFlow.poll(request, authorization)
            case .browser:
                result = try BrowserFlow.signIn(request) { url in
                    Console.out("Open this URL in a browser on this machine to sign in (it returns to 127.0.0.1):")
                    Console.out(url)
                    if !noBrowser { OAuthLogin.openBrowser(url) }
                }
            }
            let (stored, note) = try keeper.signedIn(request, result, user: user)
            Console.out("Signed in as \(stored.user ?? "(the token names no user: give --user when sending)") (account \(account), \(provider.rawValue)); the access token \(stored.expiryText(now: ClockSkew.now)).")
            Console.err("note: \(note)")
            if let clock = result.clockNote { Console.err("warning: \(clock)") }
            Console.out("Send with: mailtui send --server \(provider.smtpHost) --port 587 --oauth \(account) ...")
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.auth.rawValue)
        }
    }
}

struct OAuthTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a valid access token of the account (refreshed when within 5 minutes of expiry), for msmtp's passwordeval or swaks' --auth-password."
    )

    @Option(help: ArgumentHelp("The signed-in account.", valueName: "name"))
    var account: String

    func run() throws {
        do {
            let fresh = try TokenKeeper().fresh(account)
            for note in fresh.notes { Console.err("warning: \(note)") }
            writeToStandardOutput(fresh.account.accessToken + "\n")
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(error.stage == .storage ? ExitStatus.badInput.rawValue : ExitStatus.auth.rawValue)
        }
    }

    /// The token as it is: Console would make it "safe", and a token is printable already.
    private func writeToStandardOutput(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { write(1, $0.baseAddress! + sent, bytes.count - sent) }
            if n <= 0 { return }
            sent += n
        }
    }
}

struct OAuthListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the signed-in accounts: provider, user, expiry and where the refresh token is (never a token)."
    )

    func run() throws {
        let store = TokenStore()
        let names = store.names()
        if names.isEmpty {
            Console.out("No account is signed in (\(store.directory)). mailtui oauth login --provider microsoft|google --account NAME --client-id ID")
            return
        }
        let now = ClockSkew.now
        let width = (names.map(\.count).max() ?? 0) + 2
        for name in names {
            do {
                let account = try store.load(name)
                let kept = account.refreshStore == .secretService ? "refresh token in the Secret Service" : (account.refreshToken == nil ? "no refresh token" : "refresh token in the file")
                Console.out(name.padding(to: width) + "\(account.provider.rawValue)  \(account.user ?? "(no user)")  access token \(account.expiryText(now: now))  \(kept)")
            } catch {
                Console.out(name.padding(to: width) + "unusable: \(error.reason)")
            }
        }
    }
}

struct OAuthLogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Forget a signed-in account: its file, and its refresh token in the Secret Service."
    )

    @Option(help: ArgumentHelp("The signed-in account.", valueName: "name"))
    var account: String

    func run() throws {
        do {
            if try TokenKeeper().logout(account) {
                Console.out("Signed out of \(account): its tokens are removed from this machine (the authority may still list the app's consent; revoke it there to end it).")
            } else {
                Console.err("error: no account \"\(account)\" is signed in")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
        } catch let error as OAuthError {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }
}

/// The OAuth account behind `--oauth NAME` and a profile's `oauth = "NAME"`.
enum OAuthLogin {
    /// The login name the account's token names (used when no --user is given).
    static func user(account: String) throws -> String {
        do {
            let stored = try TokenStore().load(account)
            guard let user = stored.user else {
                throw ValidationError("The token of \(account) names no user: give --user with the mailbox's address.")
            }
            return user
        } catch let error as OAuthError {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.badInput.rawValue)
        }
    }

    /// The account's access token, refreshed first when it is within 5 minutes of expiry.
    static func secret(account: String) throws -> Secret {
        do {
            let fresh = try TokenKeeper().fresh(account)
            if fresh.refreshed { Console.err("note: the access token of \(account) was refreshed; it \(fresh.account.expiryText(now: ClockSkew.now))") }
            for note in fresh.notes { Console.err("warning: \(note)") }
            return Secret.bearerToken(fresh.account.accessToken)
        } catch {
            Console.err("error: \(error)")
            throw ExitCode(ExitStatus.auth.rawValue)
        }
    }

    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Starts `xdg-open URL` when a display is there; its output and errors are dropped.
    static func openBrowser(_ url: String) {
        guard OAuthLogin.environment("DISPLAY") != nil || OAuthLogin.environment("WAYLAND_DISPLAY") != nil else { return }
        ShellCommand.run("command -v xdg-open >/dev/null 2>&1 && xdg-open \"$1\" >/dev/null 2>&1 &", arguments: ["xdg-open", url], captureOutput: false)
    }
}
