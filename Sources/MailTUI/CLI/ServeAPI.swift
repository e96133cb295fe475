import ArgumentParser
import MailServer

/// `serve --api PORT --api-token TOKEN`: where the HTTP API listens, and who may use it.
struct APIOptions: ParsableArguments {
    @Option(name: .customLong("api"), help: ArgumentHelp("HTTP API port (Mailpit's v1 endpoints, and /api/v1/wait); default 8025 (when it is taken, serve goes on without the API); 0 picks a free one; 'off' for none.", valueName: "n|off"))
    var given: String?

    var port: String { given ?? "8025" }

    @Option(name: .customLong("api-token"), help: ArgumentHelp("A bearer token that clients beyond loopback must give; with it, the API listens on the --host addresses too (without it, on loopback only). A test token: it shows in ps.", valueName: "token"))
    var token: String?

    func check() throws {
        if port != "off", Int(port).map({ (0...65535).contains($0) }) != true { throw ValidationError("--api takes 0 to 65535, or off.") }
        if let token, token.isEmpty || token.contains(where: { $0.isWhitespace }) { throw ValidationError("--api-token takes a token without spaces.") }
    }

    /// Starts the API, unless it is off: before the SMTP server, so that its listening event can
    /// name the API's URL.
    func start(_ configuration: ServerConfiguration, capture: CaptureOptions) throws -> ServeAPI? {
        guard port != "off", let number = Int(port) else { return nil }
        let hosts = token != nil && !capture.hosts.isEmpty ? configuration.hosts : ["127.0.0.1", "::1"]
        if token == nil, !capture.outsideHosts.isEmpty {
            Console.err("note: the HTTP API listens on loopback only; give --api-token to open it on \(capture.outsideHosts.joined(separator: ", ")) too")
        }
        let responder = APIResponder(directory: configuration.store, token: token, reconcilesOwnIndex: false)
        do {
            return ServeAPI(server: try APIServer(hosts: hosts, port: number, responder: responder, token: token))
        } catch where given == nil {
            Console.err("note: the HTTP API is not started: port \(port) cannot be used (\(error)); give --api 0 for a free port")
            return nil
        } catch {
            throw ValidationError("the HTTP API cannot listen on port \(port): \(error). Choose another with --api, or --api off")
        }
    }
}

/// The running API and what the SMTP server tells it.
struct ServeAPI: Sendable {
    let server: APIServer

    /// A stored message may answer a waiting request.
    func tell(_ event: ServerEvent) {
        if case .message(let record) = event { server.responder.arrived(record) }
    }
}
