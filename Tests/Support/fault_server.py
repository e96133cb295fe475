#!/usr/bin/env python3
"""A fault-injecting SMTP server for the diagnosis tests. Loopback only.

It behaves like an ordinary ESMTP server (greeting, EHLO with SIZE, 8BITMIME, PIPELINING,
ENHANCEDSTATUSCODES, STARTTLS, AUTH PLAIN LOGIN after TLS, MAIL, RCPT, DATA, QUIT) until the
one fault it was started with:

  --reply STAGE "CODE TEXT"   answer the command of STAGE (greeting, ehlo, starttls, auth, mail,
                              rcpt, data = the DATA command, message = the end of the message)
                              with this reply instead (lines split at newlines: a multi-line reply)
  --close STAGE               close the connection instead of answering STAGE
  --hang STAGE[@N]            stop answering at STAGE (keep the connection open), or at its N-th
                              time on this server (message@4: three messages go through); `tls`
                              says 220 to STARTTLS, then never does the handshake
  --malformed STAGE           answer STAGE with a line that is not an SMTP reply
  --huge STAGE                answer STAGE with an absurdly long reply line (20,000 characters;
                              --huge-size, --huge-code and --huge-lines change it)
  --no-auth                   never offer AUTH
  --auth-plaintext            offer AUTH before STARTTLS too
  --no-starttls               never offer STARTTLS
  --implicit-tls              speak TLS from the first byte
  --size N                    the SIZE limit to advertise (and enforce: 552 above it)
  --login USER:SECRET         accept only these credentials (password, or XOAUTH2 token); 535 otherwise
  --junk LINE                 send this line (not an SMTP reply) before every AUTH challenge and
                              before the login's verdict (repeatable)
  --slow SECONDS              wait this long before every reply line after the greeting
  --next FILE                 at each new connection, read {"stage": S, "reply": R} from FILE and
                              play that one fault instead of the --reply ones (one server, many
                              connections: the reply corpus runs every entry against one process)

A configured 421 reply closes the connection after it is sent, as RFC 5321 says a 421 does.

Prints {"port": N, "pid": P} when it listens. Received commands are appended to --log.
"""
import argparse, asyncio, base64, hashlib, hmac, json, os, signal, socket, ssl

signal.pthread_sigmask(signal.SIG_SETMASK, [])

p = argparse.ArgumentParser()
p.add_argument("--reply", nargs=2, action="append", default=[], metavar=("STAGE", "REPLY"))
p.add_argument("--close", action="append", default=[])
p.add_argument("--hang", action="append", default=[])
p.add_argument("--malformed", action="append", default=[])
p.add_argument("--huge", action="append", default=[])
p.add_argument("--huge-size", type=int, default=20000, help="the length of a --huge line")
p.add_argument("--huge-code", default="250", help="the code of a --huge reply (550: a huge refusal)")
p.add_argument("--huge-lines", type=int, default=1, help="the lines of a --huge reply (more than 1: a multi-line reply)")
p.add_argument("--no-auth", action="store_true")
p.add_argument("--mechanisms", default="PLAIN LOGIN CRAM-MD5 XOAUTH2", help="the AUTH mechanisms offered")
p.add_argument("--auth-plaintext", action="store_true")
p.add_argument("--no-starttls", action="store_true")
p.add_argument("--implicit-tls", action="store_true")
p.add_argument("--size", type=int, default=10 * 1024 * 1024)
p.add_argument("--junk", action="append", default=[])
p.add_argument("--slow", type=float, default=0)
p.add_argument("--login", help="USER:SECRET to check; without it every login is accepted")
p.add_argument("--cert"); p.add_argument("--key")
p.add_argument("--log")
p.add_argument("--mark-batched", action="store_true", help="log ' [batched]' after a command that arrived with more behind it (PIPELINING)")
p.add_argument("--rcpt", nargs=2, action="append", default=[], metavar=("ADDRESS", "REPLY"), help="this reply to RCPT TO:<ADDRESS>")
p.add_argument("--max-rcpt", type=int, default=0, help="452 4.5.3 for recipients past this many in one transaction")
p.add_argument("--next", help="a JSON file read at each connection: the one --reply for it")
p.add_argument("--store", help="folder for commands.log (same as --log DIR/commands.log)")
ARGS = p.parse_args()
REPLIES = {stage: reply for stage, reply in ARGS.reply}
if ARGS.store and not ARGS.log:
    os.makedirs(ARGS.store, exist_ok=True)
    ARGS.log = os.path.join(ARGS.store, "commands.log")


def context():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    return ctx


def log(line):
    if ARGS.log:
        with open(ARGS.log, "a") as f:
            f.write(line + "\n")


CHALLENGE = b"<12345.6789@fault.test.invalid>"


async def authenticate(parts, reader, writer):
    """Runs one SASL exchange (PLAIN, LOGIN, CRAM-MD5, XOAUTH2) and checks it against --login."""
    async def ask(challenge):
        await junk(writer)
        writer.write(b"334 " + challenge + b"\r\n"); await writer.drain()
        return (await reader.readline()).strip()
    mechanism = parts[1].upper()
    initial = parts[2].encode() if len(parts) > 2 else None
    user, secret = (ARGS.login.split(":", 1) if ARGS.login else (None, None))
    if mechanism == "PLAIN":
        fields = base64.b64decode(initial or await ask(b"")).split(b"\0")
        given = (fields[1].decode(), fields[2].decode()) if len(fields) == 3 else (None, None)
    elif mechanism == "LOGIN":
        name = base64.b64decode(initial or await ask(base64.b64encode(b"Username:")))
        word = base64.b64decode(await ask(base64.b64encode(b"Password:")))
        given = (name.decode(), word.decode())
    elif mechanism == "CRAM-MD5":
        answer = base64.b64decode(await ask(base64.b64encode(CHALLENGE))).decode().split(" ")
        if len(answer) != 2:
            return False
        if user is None:
            return True
        expected = hmac.new(secret.encode(), CHALLENGE, hashlib.md5).hexdigest()
        return answer[0] == user and hmac.compare_digest(answer[1], expected)
    elif mechanism == "XOAUTH2":
        text = base64.b64decode(initial or await ask(b"")).decode()
        fields = dict(f.split("=", 1) for f in text.split("\x01") if "=" in f)
        given = (fields.get("user"), fields.get("auth", "").removeprefix("Bearer "))
    else:
        return False
    return user is None or given == (user, secret)


async def junk(writer):
    for line in ARGS.junk:
        writer.write(line.encode() + b"\r\n")
    await writer.drain()


class Hang(Exception):
    pass


# How often each stage was reached on this server, for --hang STAGE@N.
REACHED = {}


async def session(reader, writer):
    tls = ARGS.implicit_tls
    replies = REPLIES
    if ARGS.next:
        with open(ARGS.next) as f:
            chosen = json.load(f)
        replies = {chosen["stage"]: chosen["reply"]}

    async def answer(stage, *lines):
        """Sends the normal reply for a stage, or the fault configured for it."""
        if stage in ARGS.close:
            writer.close()
            raise ConnectionResetError
        REACHED[stage] = REACHED.get(stage, 0) + 1
        if stage in ARGS.hang or f"{stage}@{REACHED[stage]}" in ARGS.hang:
            raise Hang
        if stage in ARGS.malformed:
            lines = ("hello, this is not SMTP",)
        elif stage in ARGS.huge:
            line = "x" * ARGS.huge_size
            lines = tuple(f"{ARGS.huge_code}-{line}" for _ in range(ARGS.huge_lines - 1)) + (f"{ARGS.huge_code} {line}",)
        elif stage in replies:
            # A reply given with newlines is sent as a multi-line reply, as Gmail sends its own.
            lines = tuple(replies[stage].split("\n"))
        if ARGS.slow and stage != "greeting":
            await asyncio.sleep(ARGS.slow)
        writer.write("".join(l + "\r\n" for l in lines).encode())
        await writer.drain()
        if stage in replies and replies[stage].startswith("421"):
            writer.close()
            raise ConnectionResetError
        return stage not in replies and stage not in ARGS.malformed

    try:
        await answer("greeting", "220 fault.test.invalid ESMTP ready")
        size = 0
        recipients = 0
        while True:
            line = await asyncio.wait_for(reader.readline(), 120)
            if not line:
                return
            command = line.decode(errors="replace").rstrip("\r\n")
            verb = command.split(" ")[0].upper()
            batched = " [batched]" if ARGS.mark_batched and len(reader._buffer) > 0 else ""
            log(("TLS " if tls else "") + (command if verb != "AUTH" else "AUTH " + command.split(" ")[1]) + batched)
            if verb in ("EHLO", "HELO"):
                caps = [f"250-SIZE {ARGS.size}", "250-8BITMIME", "250-PIPELINING", "250-ENHANCEDSTATUSCODES"]
                if not tls and not ARGS.no_starttls and ARGS.cert:
                    caps.append("250-STARTTLS")
                if not ARGS.no_auth and (tls or ARGS.auth_plaintext):
                    caps.append("250-AUTH " + ARGS.mechanisms)
                await answer("ehlo", "250-fault.test.invalid", *caps, "250 HELP")
            elif verb == "STARTTLS":
                if await answer("starttls", "220 2.0.0 Ready to start TLS"):
                    if "tls" in ARGS.hang:
                        raise Hang
                    await writer.start_tls(context())
                    tls = True
            elif verb == "AUTH":
                ok = await authenticate(command.split(" "), reader, writer)
                log("(credentials) " + ("ok" if ok else "refused"))
                await junk(writer)
                if ok:
                    await answer("auth", "235 2.7.0 Authentication successful")
                else:
                    writer.write(b"535 5.7.8 Authentication credentials invalid\r\n"); await writer.drain()
            elif verb == "MAIL":
                recipients = 0
                await answer("mail", "250 2.1.0 Ok")
            elif verb == "RCPT":
                address = command[command.find("<") + 1:command.find(">")]
                recipients += 1
                per_address = dict((a.lower(), r) for a, r in ARGS.rcpt)
                if ARGS.max_rcpt and recipients > ARGS.max_rcpt:
                    writer.write(b"452 4.5.3 Too many recipients\r\n"); await writer.drain()
                elif address.lower() in per_address:
                    writer.write((per_address[address.lower()] + "\r\n").encode()); await writer.drain()
                else:
                    await answer("rcpt", "250 2.1.5 Ok")
            elif verb == "DATA":
                if await answer("data", "354 End data with <CR><LF>.<CR><LF>"):
                    size = 0
                    while True:
                        chunk = await reader.readline()
                        if not chunk or chunk == b".\r\n":
                            break
                        size += len(chunk)
                    if size > ARGS.size:
                        writer.write(b"552 5.3.4 Message size exceeds fixed limit\r\n"); await writer.drain()
                    else:
                        await answer("message", "250 2.0.0 Ok: queued as FAULT1")
            elif verb == "QUIT":
                writer.write(b"221 2.0.0 Bye\r\n"); await writer.drain()
                writer.close()
                return
            elif verb in ("NOOP", "RSET"):
                await answer(verb.lower(), "250 2.0.0 Ok")
            else:
                writer.write(b"502 5.5.2 Command not recognized\r\n"); await writer.drain()
    except Hang:
        await asyncio.sleep(3600)
    except (ConnectionResetError, asyncio.TimeoutError, ssl.SSLError, BrokenPipeError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def main():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    server = await asyncio.start_server(session, sock=sock, ssl=context() if ARGS.implicit_tls else None, limit=1 << 20)
    print(json.dumps({"port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
