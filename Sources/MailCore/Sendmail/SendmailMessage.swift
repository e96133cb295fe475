/// What `mailtui sendmail` was asked besides the message: its flags, and the senders the caller
/// found (the profile's, this user's).
public struct SendmailOptions: Sendable, Equatable {
    /// -t: the recipients of To, Cc and Bcc, added to those given as arguments.
    public var readRecipients: Bool
    /// The arguments; each may be a list (`a@example.com, b@example.com`).
    public var recipients: [String]
    /// -f (or -r) as given: `addr`, `<addr>`, or `<>` for the null sender.
    public var envelopeFrom: String?
    /// -F: the name for a From header that the message lacks.
    public var fullName: String?
    /// The profile's `from` (`App <noreply@example.com>`): the sender when -f is not given.
    public var profileSender: String?
    /// `user@host`: the sender when nothing else names one, as sendmail does.
    public var localSender: String
    /// Seconds since 1970, for a Date header the message lacks.
    public var time: Int

    public init(readRecipients: Bool = false, recipients: [String] = [], envelopeFrom: String? = nil, fullName: String? = nil,
                profileSender: String? = nil, localSender: String, time: Int) {
        self.readRecipients = readRecipients
        self.recipients = recipients
        self.envelopeFrom = envelopeFrom
        self.fullName = fullName
        self.profileSender = profileSender
        self.localSender = localSender
        self.time = time
    }
}

/// Why a message read by `sendmail` cannot go: a mistake in the arguments, or in the message.
public struct SendmailProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The arguments (an -f that is no address, no recipient at all).
        case usage
        /// The message (an address in To that is no address).
        case data
    }

    public var kind: Kind
    public var reason: String
    public var description: String { reason }

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }
}

/// A message ready for the session: its envelope, its exact bytes, and what the history shows.
public struct OutgoingRawMessage: Sendable, Equatable {
    public var envelopeFrom: String
    public var recipients: [String]
    public var bytes: [UInt8]
    /// From, To, Cc, Bcc, Subject and the body as text: what `mailtui history` and F9 show.
    public var summary: MessageDraft
    /// What was added to the message or taken out of it, in words (`-v` prints them).
    public var changes: [String]
}

/// Turns what `sendmail` read into the message that goes out, as sendmail and msmtp do:
/// - the envelope sender is -f, else the profile's `from`, else the From header's address, else
///   `user@host`;
/// - the recipients are the arguments, plus, with -t, those of To, Cc and Bcc;
/// - Bcc (and Resent-Bcc) is removed always, so that no recipient learns of the others;
/// - a missing From, Date or Message-ID is added (a message without them is often refused);
/// - a line over 998 octets is made legal (`SendmailLineLimit`), or the message refused.
/// Otherwise the header fields that stay are sent byte for byte.
public enum SendmailMessage {
    public static func prepare(_ input: [UInt8], _ options: SendmailOptions) -> Result<OutgoingRawMessage, SendmailProblem> {
        let header = RawHeader(parsing: input)
        let fromHeader = header.values("From").first
        let fromHeaderAddress = fromHeader.flatMap { HeaderAddresses.addresses(in: $0).first }.flatMap { try? Mailbox.parse($0).address }
        let profileMailbox = options.profileSender.flatMap { try? Mailbox.parse($0) }

        let envelopeFrom: String
        if let given = options.envelopeFrom {
            if given.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return .failure(SendmailProblem(.usage, "-f \(given.visibleControls): an address may not hold a control character"))
            }
            var address = given.trimmingSpaces
            if address.hasPrefix("<") && address.hasSuffix(">") { address = String(address.dropFirst().dropLast()).trimmingSpaces }
            if !address.isEmpty {
                do throws(AddressError) { address = try Mailbox.parse(address).address } catch {
                    return .failure(SendmailProblem(.usage, "-f \(given): \(error.reason)"))
                }
            }
            envelopeFrom = address
        } else {
            envelopeFrom = profileMailbox?.address ?? fromHeaderAddress ?? options.localSender
        }

        var recipients: [String] = []
        var seen = Set<String>()
        func add(_ address: String) {
            if seen.insert(address.lowercased()).inserted { recipients.append(address) }
        }
        for argument in options.recipients {
            // A line break or an escape inside an argument would make the list read as another
            // recipient than the one typed (`c@y\r\nX <d@e>` is d@e alone): refused, not guessed.
            if argument.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                return .failure(SendmailProblem(.usage, "recipient \(argument.visibleControls): an argument may not hold a control character (a line break, a tab, an escape)"))
            }
            for address in HeaderAddresses.addresses(in: argument) {
                do throws(AddressError) { add(try Mailbox.parse(address).address) } catch {
                    return .failure(SendmailProblem(.usage, "recipient \(address): \(error.reason)"))
                }
            }
        }
        if options.readRecipients {
            for field in header.fields where ["to", "cc", "bcc"].contains(field.name.lowercased()) {
                for address in HeaderAddresses.addresses(in: field.value) {
                    do throws(AddressError) { add(try Mailbox.parse(address).address) } catch {
                        return .failure(SendmailProblem(.data, "\(field.name) header: \(address): \(error.reason)"))
                    }
                }
            }
        }
        if recipients.isEmpty {
            return .failure(SendmailProblem(.usage, options.readRecipients
                ? "no recipients: the message has no To, Cc or Bcc, and none were given as arguments"
                : "no recipients: name them after the options, or give -t to take them from the message's To, Cc and Bcc"))
        }

        var changes: [String] = []
        if header.droppedMboxLine { changes.append("dropped the mbox \"From \" line at the top") }
        var out: [UInt8] = []
        out.reserveCapacity(input.count + 256)
        for field in header.fields {
            if field.isNamed("Bcc") || field.isNamed("Resent-Bcc") {
                changes.append("removed the \(field.name) header")
                continue
            }
            out += field.raw
        }
        var shownFrom = fromHeader.map(EncodedWords.decode) ?? ""
        if fromHeader == nil {
            if let name = options.fullName, name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) {
                return .failure(SendmailProblem(.usage, "-F: a name may not hold a line break or a NUL byte"))
            }
            let mailbox = Mailbox(displayName: options.fullName ?? profileMailbox?.displayName,
                                  address: envelopeFrom.isEmpty ? options.localSender : envelopeFrom)
            let line = HeaderEncoding.fold(name: "From", tokens: HeaderEncoding.addressList([mailbox]))
            out += Array(line.utf8)
            shownFrom = mailbox.description
            changes.append("added From: \(mailbox)")
        }
        if !header.has("Date") {
            out += Array(HeaderEncoding.fold(name: "Date", tokens: [RFC5322Date.format(epochSeconds: options.time, utcOffsetSeconds: nil)]).utf8)
            changes.append("added a Date header")
        }
        if !header.has("Message-ID") {
            let domain = (envelopeFrom.isEmpty ? options.localSender : envelopeFrom).split(separator: "@").last.map(String.init) ?? "mailtui.invalid"
            out += Array(HeaderEncoding.fold(name: "Message-ID", tokens: ["<\(RandomToken.hex(bytes: 16)).\(options.time)@\(domain)>"]).utf8)
            changes.append("added a Message-ID header")
        }
        out += [13, 10]
        if header.bodyStart < input.count { out += input[header.bodyStart...] }
        switch SendmailLineLimit.fit(out) {
        case .success(let fitted):
            out = fitted.bytes
            changes += fitted.changes
        case .failure(let problem):
            return .failure(problem)
        }

        func joined(_ name: String) -> String { header.values(name).map(EncodedWords.decode).joined(separator: ", ") }
        var summary = MessageDraft(from: shownFrom, to: joined("To"), cc: joined("Cc"), bcc: joined("Bcc"),
                                   subject: header.values("Subject").first.map(EncodedWords.decode) ?? "")
        let body = input[min(header.bodyStart, input.count)...].prefix(HistoryEntry.bodyLimit)
        summary.textBody = String(decoding: body, as: UTF8.self)
        return .success(OutgoingRawMessage(envelopeFrom: envelopeFrom, recipients: recipients, bytes: out, summary: summary, changes: changes))
    }
}
