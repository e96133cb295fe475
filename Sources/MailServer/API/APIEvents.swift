import Dispatch
import Synchronization

/// `GET /api/v1/events`: server-sent events, one `message` event (Mailpit's message summary as
/// its data) per message stored. Each arrival is read and encoded once, off the server's event
/// loops, then handed to every open stream.
final class APIEvents: Sendable {
    let directory: String
    private let streams = Mutex<[Int: @Sendable ([UInt8]) -> Void]>([:])
    private let next = Mutex(0)
    private let queue = DispatchQueue(label: "mailtui.api-events")

    /// The most streams open at once.
    static let most = 100

    init(directory: String) { self.directory = directory }

    var count: Int { streams.withLock { $0.count } }

    /// Opens a stream; nil when too many are open.
    func open(_ send: @escaping @Sendable ([UInt8]) -> Void) -> Int? {
        let number = next.withLock { n in n += 1; return n }
        return streams.withLock { streams in
            guard streams.count < Self.most else { return nil }
            streams[number] = send
            return number
        }
    }

    func close(_ number: Int) { _ = streams.withLock { $0.removeValue(forKey: number) } }

    func arrived(_ id: String) {
        guard count > 0 else { return }
        queue.async { [self] in
            guard let message = APIMessage(id: id, directory: directory) else { return }
            let event = Self.event(APIResponse.json(message.summary(read: false)).body)
            for send in streams.withLock({ Array($0.values) }) { send(event) }
        }
    }

    /// `event: message` and the JSON as its data (one line: JSON has no raw line breaks).
    static func event(_ json: [UInt8]) -> [UInt8] {
        Array("event: message\ndata: ".utf8) + json + Array("\n\n".utf8)
    }
}
