#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `/api/v1/faults`: mailtui's stage-exact faults over HTTP, written as `--fault` writes them.
/// GET lists those in force; PUT `{"faults": ["rcpt@2=550 5.1.1 No such user"], "presets": ["gmail"],
/// "once": false}` puts these in force instead (counting `@N` from now); DELETE clears them.
/// mailtui's own endpoint, in mailtui's JSON convention (camelCase).
struct FaultsBody: Codable {
    var faults: [String]?
    var presets: [String]?
    var once: Bool?
}

struct FaultsInForce: Codable {
    var faults: [String]
}

extension APIResponder {
    func faults(_ method: String, body: [UInt8]) -> APIResponse {
        guard let book = attachedFaults else { return .text(503, "the SMTP server is not running yet: try again") }
        switch method {
        case "GET":
            return .json(FaultsInForce(faults: book.active))
        case "DELETE":
            book.replace(with: [], once: false)
            return .json(FaultsInForce(faults: book.active))
        default:
            guard let request = try? JSONDecoder().decode(FaultsBody.self, from: Data(body)) else {
                return .text(400, "send {\"faults\": [\"rcpt@2=550 5.1.1 No such user\"], \"presets\": [\"gmail\"], \"once\": false}")
            }
            var chosen: [Fault] = []
            for text in request.faults ?? [] {
                do { chosen.append(try Fault(parsing: text)) } catch { return .text(400, error.description) }
            }
            for name in request.presets ?? [] {
                guard let preset = Preset.named(name) else {
                    return .text(400, "no preset \"\(name)\"; known: \(Preset.all.map(\.name).joined(separator: ", "))")
                }
                chosen += preset.faults
            }
            book.replace(with: chosen, once: request.once ?? false)
            return .json(FaultsInForce(faults: book.active))
        }
    }
}
