#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A whole HTTP request as the API handler hands it on: the head's parts the API reads and the
/// body (already bounded).
public struct APIRequest: Sendable {
    public var method: String
    public var target: String
    /// The `Authorization` header, if any.
    public var authorization: String?
    public var body: [UInt8]
    /// Whether the peer is a loopback address (the token is asked only of others).
    public var fromLoopback: Bool
    /// The `Host` header, nil when the request had none: without a token, only a loopback name
    /// is answered (a page whose domain is rebound to 127.0.0.1 sends its own name).
    public var host: String?
    /// HTTP/1.0, where a request may come without `Host`; HTTP/1.1 must send one.
    public var isHTTP10: Bool

    public init(method: String, target: String, authorization: String? = nil, body: [UInt8] = [], fromLoopback: Bool = true,
                host: String?, isHTTP10: Bool = false) {
        self.method = method
        self.target = target
        self.authorization = authorization
        self.body = body
        self.fromLoopback = fromLoopback
        self.host = host
        self.isHTTP10 = isHTTP10
    }
}

/// What the API answers: a status, a content type and the bytes.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A JSON body through `Codable`; Mailpit's shapes keep their own key names.
    static func json(_ value: some Encodable, status: Int = 200) -> APIResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return .text(500, "the answer could not be written as JSON") }
        return APIResponse(status: status, contentType: "application/json", body: Array(data))
    }

    /// Mailpit answers errors and `ok` as plain text; so do we. Each error names what to send
    /// instead.
    static func text(_ status: Int, _ text: String) -> APIResponse {
        APIResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array((text + "\n").utf8))
    }

    static let ok = text(200, "ok")
}
