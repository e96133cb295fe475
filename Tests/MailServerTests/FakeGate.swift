@testable import MailServer
import MailCore
import NIOCore
import NIOEmbedded
import Dispatch
import Synchronization

/// A gate that answers from a script (or holds its answers for the test to give), and keeps
/// every question it was asked.
final class FakeGate: TransactionGate {
    enum Call: Equatable {
        case open(String)
        case login(mechanism: String, user: String, secret: String)
        case mail(String, [String])
        case rcpt(String, [String])
        case data
        case message([UInt8])
        case reset
        case close
    }

    final class Session: GateSession {
        let gate: FakeGate
        init(gate: FakeGate) { self.gate = gate }

        func login(_ login: ClientLogin, done: @escaping @Sendable (GateReply?) -> Void) {
            gate.ask(.login(mechanism: login.mechanism, user: login.user, secret: login.secret), "login", done)
        }
        func mail(from: String, parameters: [String], done: @escaping @Sendable (GateReply?) -> Void) {
            gate.ask(.mail(from, parameters), "mail", done)
        }
        func rcpt(to: String, parameters: [String], done: @escaping @Sendable (GateReply?) -> Void) {
            gate.ask(.rcpt(to, parameters), "rcpt", done)
        }
        func data(done: @escaping @Sendable (GateReply?) -> Void) { gate.ask(.data, "data", done) }
        func message(_ octets: [UInt8], done: @escaping @Sendable (GateReply?) -> Void) { gate.ask(.message(octets), "message", done) }
        func reset() { gate.calls.withLock { $0.append(.reset) } }
        func close() { gate.calls.withLock { $0.append(.close) } }
        func takeLeg() -> RelayedLeg? { gate.leg }
        func takeFailedLeg() -> RelayedLeg? { gate.failedLeg.withLock { leg in defer { leg = nil }; return leg } }
    }

    let decidesLogins: Bool
    /// Replies by question (`login`, `mail`, `rcpt`, `data`, `message`); none means nil.
    let replies: [String: [GateReply]]
    /// Whether answers wait in `held` until the test gives them.
    let holds: Bool
    /// Whether answers come a little later from another thread, as a relay's do.
    let answersFromElsewhere: Bool
    let leg: RelayedLeg?
    /// The leg of a failed attempt, given once.
    let failedLeg = Mutex<RelayedLeg?>(nil)
    let calls = Mutex<[Call]>([])
    let held = Mutex<[@Sendable (GateReply?) -> Void]>([])
    private let counts = Mutex<[String: Int]>([:])

    init(decidesLogins: Bool = false, replies: [String: [GateReply]] = [:], holds: Bool = false, answersFromElsewhere: Bool = false, leg: RelayedLeg? = nil) {
        self.decidesLogins = decidesLogins
        self.replies = replies
        self.holds = holds
        self.answersFromElsewhere = answersFromElsewhere
        self.leg = leg
    }

    func open(client: String) -> any GateSession {
        calls.withLock { $0.append(.open(client)) }
        return Session(gate: self)
    }

    /// The Nth reply scripted for the Nth question of its kind (nil past the script's end).
    private func ask(_ call: Call, _ kind: String, _ done: @escaping @Sendable (GateReply?) -> Void) {
        calls.withLock { $0.append(call) }
        let index = counts.withLock { $0[kind, default: 0] += 1; return $0[kind]! - 1 }
        let script = replies[kind] ?? []
        let reply = index < script.count ? script[index] : nil
        if holds {
            held.withLock { $0.append { _ in done(reply) } }
        } else if answersFromElsewhere {
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.02) { done(reply) }
        } else {
            done(reply)
        }
    }

    /// Gives the oldest held answer.
    func answerOne() {
        let next = held.withLock { $0.isEmpty ? nil : $0.removeFirst() }
        next?(nil)
    }

    var asked: [Call] { calls.withLock { $0 } }
}

/// A session handler in an `EmbeddedChannel` with a sink in memory: bytes in, replies out,
/// virtual time.
struct EmbeddedSMTP {
    let sink = MemorySink()
    let channel: EmbeddedChannel

    init(faults: [Fault] = [], gate: (any TransactionGate)? = nil, _ configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        var configuration = ServerConfiguration()
        configuration.gate = gate
        configure(&configuration)
        let sink = self.sink
        let server = ServerContext(configuration: configuration, faults: FaultBook(faults), store: sink, sslContext: nil,
                                   emit: { event in sink.events.withLock { $0.append(event) } })
        channel = EmbeddedChannel(handlers: SMTPSessionHandler.handlers(server: server, implicitTLS: false))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 40000)).wait()
    }

    /// Everything the handler wrote since the last call.
    func output() throws -> String {
        channel.embeddedEventLoop.run()
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) { text += buffer.readString(length: buffer.readableBytes) ?? "" }
        return text
    }

    func send(_ text: String) throws -> String {
        try channel.writeInbound(ByteBuffer(string: text))
        return try output()
    }

    var stored: [(record: StoredMessage, octets: [UInt8])] { sink.stored.withLock { $0 } }
}
