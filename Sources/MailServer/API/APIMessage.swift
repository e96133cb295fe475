import Crypto
import MailCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// One stored message as the API shows it: its record and its bytes, read once per request, and
/// Mailpit's shapes built from them.
struct APIMessage {
    let record: StoredMessage
    let bytes: [UInt8]
    let root: MIMEPart

    /// The largest message the API reads whole; the store takes 32 MiB by default.
    static let largestRead = 64 * 1024 * 1024

    /// The stored message `id` in `directory`, or nil (no such message, or not the store's).
    init?(id: String, directory: String) {
        guard StoreNames.isID(id), StoreNames.isPlainFile(directory + "/" + id + ".eml"),
              let json = FileContents.read(directory + "/" + id + ".json", followingLinks: false),
              let record = try? JSONDecoder().decode(StoredMessage.self, from: Data(json)) else { return nil }
        var size = stat()
        let path = directory + "/" + id + ".eml"
        let bytes = lstat(path, &size) == 0 && Int(size.st_size) <= Self.largestRead ? FileContents.read(path, followingLinks: false) ?? [] : []
        self.init(record: record, bytes: bytes)
    }

    init(record: StoredMessage, bytes: [UInt8]) {
        self.record = record
        self.bytes = bytes
        root = MIMEPart(reading: bytes)
    }

    var id: String { record.id }

    func header(_ name: String) -> String { root.field(name).map { EncodedWords.shown($0) } ?? "" }

    func addresses(_ name: String) -> [Mailpit.Address] {
        AddressList.parse(root.fields.filter { $0.name.lowercased() == name.lowercased() }.map { EncodedWords.shown($0.value) }.joined(separator: ", "))
    }

    /// Mailpit's Bcc: the header, else the envelope's recipients that no To or Cc names.
    var bcc: [Mailpit.Address] {
        let named = addresses("Bcc")
        guard named.isEmpty else { return named }
        let shown = Set((addresses("To") + addresses("Cc")).map { $0.Address.lowercased() })
        return record.recipients.map(\.address).filter { !shown.contains($0.lowercased()) }.map { Mailpit.Address(Name: "", Address: $0) }
    }

    var messageID: String {
        header("Message-ID").stripped("<>")
    }

    /// The text body, the HTML body, and the attachments split as Mailpit splits them: a part
    /// with a Content-ID that is not `attachment` is inline.
    var contents: (text: String, html: String, inline: [Mailpit.Attachment], attachments: [Mailpit.Attachment]) { contents(checksums: true) }

    /// As above; without `checksums` the attachments' are left empty (a list only counts them).
    func contents(checksums: Bool) -> (text: String, html: String, inline: [Mailpit.Attachment], attachments: [Mailpit.Attachment]) {
        var text: String?, html: String?
        var inline: [Mailpit.Attachment] = [], attachments: [Mailpit.Attachment] = []
        for (partID, part) in PartPath.numbered(root) where !part.isMultipart {
            if part.isAttachment {
                let isInline = part.disposition != "attachment" && (part.disposition == "inline" || part.field("Content-ID") != nil)
                let shape = checksums ? Self.attachment(part, partID: partID)
                    : Mailpit.Attachment(PartID: partID, FileName: "", ContentType: "", ContentID: "", Size: 0, Checksums: Mailpit.Checksums(MD5: "", SHA1: "", SHA256: ""))
                if isInline { inline.append(shape) } else { attachments.append(shape) }
            } else if part.mediaType == "text/plain" && text == nil {
                text = part.text
            } else if part.mediaType == "text/html" && html == nil {
                html = part.text
            }
        }
        return (text ?? "", html ?? "", inline, attachments)
    }

    static func attachment(_ part: MIMEPart, partID: String) -> Mailpit.Attachment {
        let body = part.decodedBody
        func hex(_ digest: some Sequence<UInt8>) -> String { digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() }
        let contentID = (part.field("Content-ID") ?? "").stripped("<>")
        return Mailpit.Attachment(PartID: partID, FileName: part.fileName ?? "", ContentType: part.mediaType, ContentID: contentID, Size: body.count,
                                  Checksums: Mailpit.Checksums(MD5: hex(Insecure.MD5.hash(data: body)), SHA1: hex(Insecure.SHA1.hash(data: body)),
                                                               SHA256: hex(SHA256.hash(data: body))))
    }

    /// Mailpit's snippet: the first 250 characters of the text (or the HTML's text), spaces
    /// folded.
    static func snippet(text: String, html: String) -> String {
        let source = text.isEmpty ? HTMLText(html).lines.joined(separator: " ") : text
        var out = ""
        var space = false
        // Counted here: a String's count walks it, which made this quadratic.
        var count = 0
        for character in source.prefix(4000) {
            if character.isWhitespace { space = count > 0; continue }
            if space { out.append(" "); space = false; count += 1 }
            out.append(character)
            count += 1
            if count >= 250 { break }
        }
        return out
    }

    func summary(read: Bool) -> Mailpit.MessageSummary {
        let body = contents(checksums: false)
        return Mailpit.MessageSummary(ID: id, MessageID: messageID, Read: read, From: Mailpit.Nullable(addresses("From").first), To: addresses("To"), Cc: addresses("Cc"),
                                      Bcc: bcc, ReplyTo: addresses("Reply-To"), Subject: header("Subject"), Created: created, Username: record.authUser ?? "",
                                      Tags: Mailbox.tags(mailbox: Mailbox.of(record), tags: []), Size: record.bytes, Attachments: body.attachments.count, Snippet: Self.snippet(text: body.text, html: body.html))
    }

    func message() -> Mailpit.Message {
        let body = contents
        let unsubscribe = header("List-Unsubscribe")
        let links = unsubscribe.split(separator: ",").map { String($0).stripped("<>") }
        return Mailpit.Message(ID: id, MessageID: messageID, Read: true, From: Mailpit.Nullable(addresses("From").first), To: addresses("To"), Cc: addresses("Cc"), Bcc: bcc,
                               ReplyTo: addresses("Reply-To"), ReturnPath: record.from, Subject: header("Subject"),
                               ListUnsubscribe: Mailpit.ListUnsubscribe(Header: unsubscribe, Links: unsubscribe.isEmpty ? [] : links, Errors: "",
                                                                        HeaderPost: header("List-Unsubscribe-Post")),
                               Date: created, Tags: Mailbox.tags(mailbox: Mailbox.of(record), tags: []), Username: record.authUser ?? "", Text: body.text, HTML: body.html, Size: record.bytes,
                               Inline: body.inline, Attachments: body.attachments)
    }

    /// Every header, by Mailpit's (Go's) canonical name: `Message-Id`, `Content-Type`.
    var headers: [String: [String]] {
        var out: [String: [String]] = [:]
        for field in root.fields { out[Self.canonical(field.name), default: []].append(field.value) }
        return out
    }

    static func canonical(_ name: String) -> String {
        var out = ""
        var upper = true
        for character in name {
            out += upper ? character.uppercased() : character.lowercased()
            upper = character == "-"
        }
        return out
    }

    /// When it arrived, in milliseconds: the id starts with them; the record's seconds otherwise.
    var created: String {
        let millis = id.split(separator: "-").first.flatMap { Int($0) } ?? record.time * 1000
        return Self.rfc3339(millis: millis)
    }

    static func rfc3339(millis: Int) -> String {
        var seconds = time_t(millis / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func padded(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        return padded(Int(parts.tm_year) + 1900, 4) + "-" + padded(Int(parts.tm_mon) + 1, 2) + "-" + padded(Int(parts.tm_mday), 2) + "T"
            + padded(Int(parts.tm_hour), 2) + ":" + padded(Int(parts.tm_min), 2) + ":" + padded(Int(parts.tm_sec), 2) + "." + padded(millis % 1000, 3) + "Z"
    }
}

/// Mailpit's part ids: the children of a multipart numbered from 1, a nested one's as `1.2`.
enum PartPath {
    static func numbered(_ root: MIMEPart) -> [(String, MIMEPart)] {
        guard root.isMultipart else { return [("1", root)] }
        var out: [(String, MIMEPart)] = []
        func visit(_ part: MIMEPart, _ path: String) {
            out.append((path, part))
            for (index, child) in part.parts.enumerated() { visit(child, path + "." + String(index + 1)) }
        }
        for (index, child) in root.parts.enumerated() { visit(child, String(index + 1)) }
        return out
    }

    static func find(_ root: MIMEPart, _ id: String) -> MIMEPart? {
        numbered(root).first { $0.0 == id }?.1
    }
}

/// An address header read leniently, as received mail writes it: `Name <a@b>, c@d`, commas
/// inside quotes or angle brackets kept. One pass; a name's quotes removed.
enum AddressList {
    static func parse(_ text: String) -> [Mailpit.Address] {
        var items: [String] = []
        var current = ""
        var quoted = false, angle = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if !quoted && character == "<" { angle = true }
            if !quoted && character == ">" { angle = false }
            if character == "," && !quoted && !angle {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        return items.compactMap { item in
            let trimmed = item.stripped("")
            guard !trimmed.isEmpty else { return nil as Mailpit.Address? }
            if let open = trimmed.lastIndex(of: "<"), let close = trimmed[open...].firstIndex(of: ">") {
                let name = String(trimmed[..<open]).stripped("\"")
                return Mailpit.Address(Name: name, Address: String(trimmed[trimmed.index(after: open)..<close]))
            }
            return Mailpit.Address(Name: "", Address: trimmed)
        }
    }
}

extension String {
    /// Without the spaces and tabs around it, then without `characters` around that.
    func stripped(_ characters: String) -> String {
        let strip = Set(" \t\r\n" + characters)
        var view = self[...]
        while let first = view.first, strip.contains(first) { view = view.dropFirst() }
        while let last = view.last, strip.contains(last) { view = view.dropLast() }
        return String(view)
    }
}
