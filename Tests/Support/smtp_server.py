#!/usr/bin/env python3
"""A test SMTP server on a free loopback port, built on aiosmtpd.

Prints one JSON line {"port": N, "pid": P} when it listens, then serves until killed.
Every accepted message is stored in --store as NNN.eml (the exact bytes received) and
NNN.json (envelope, TLS, login). Every AUTH attempt is logged to --store/auth.log.
"""
import argparse, asyncio, base64, json, os, signal, socket, ssl, sys

# A parent's thread may have blocked signals; the mask survives exec. Make SIGTERM work again.
signal.pthread_sigmask(signal.SIG_SETMASK, [])

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["plain", "starttls", "tls", "silent"], default="plain")
    p.add_argument("--require-starttls", action="store_true")
    p.add_argument("--cert"); p.add_argument("--key")
    p.add_argument("--auth", help="user:password accepted by AUTH PLAIN and LOGIN")
    p.add_argument("--auth-plaintext", action="store_true", help="offer AUTH before TLS")
    p.add_argument("--auth-required", action="store_true")
    p.add_argument("--no-auth-advertised", action="store_true", help="never offer AUTH")
    p.add_argument("--reject", action="append", default=[], help="recipient to refuse with 550")
    p.add_argument("--delay", type=float, default=0.0, help="seconds before every reply")
    p.add_argument("--size", type=int, default=33554432)
    p.add_argument("--oauth-token-file", help="offer XOAUTH2 and OAUTHBEARER, taking only the token this file holds now")
    p.add_argument("--oauth-user", help="the user the token belongs to")
    p.add_argument("--store", required=True)
    p.add_argument("--host", default="127.0.0.1")
    return p.parse_args()


ARGS = parse_args()
os.makedirs(ARGS.store, exist_ok=True)
COUNTER = {"n": 0}


def log_auth(line):
    with open(os.path.join(ARGS.store, "auth.log"), "a") as f:
        f.write(line + "\n")


class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if ARGS.no_auth_advertised:
            responses = [r for r in responses if not r.startswith("250-AUTH")]
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in ARGS.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        COUNTER["n"] += 1
        base = os.path.join(ARGS.store, "%03d" % COUNTER["n"])
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": session.ssl is not None or ARGS.mode == "tls",
            "authenticated": bool(session.authenticated),
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "ehlo": session.host_name,
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        return "250 2.0.0 Ok: queued as TEST%03d" % COUNTER["n"]


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = False
    if ARGS.auth and isinstance(auth_data, LoginPassword):
        user, password = ARGS.auth.split(":", 1)
        ok = auth_data.login.decode() == user and auth_data.password.decode() == password
    log_auth(f"{mechanism} {'ok' if ok else 'failed'}")
    # handled=False: aiosmtpd then sends the 535 itself.
    return AuthResult(success=ok, handled=False)


class TestSMTP(SMTP):
    async def push(self, status):
        if ARGS.delay:
            await asyncio.sleep(ARGS.delay)
        await super().push(status)

    async def smtp_AUTH(self, arg):
        log_auth(f"AUTH command tls={self._tls_protocol is not None}")
        await super().smtp_AUTH(arg)


class OAuthSMTP(TestSMTP):
    """Takes XOAUTH2 and OAUTHBEARER only with the current token (the file the fake authority
    writes) and the token's user; otherwise it replies as Microsoft 365 does."""

    async def auth_XOAUTH2(self, server, args):
        return await self._bearer("XOAUTH2", args)

    async def auth_OAUTHBEARER(self, server, args):
        return await self._bearer("OAUTHBEARER", args)

    async def _bearer(self, mechanism, args):
        if len(args) > 1:
            try:
                blob = base64.b64decode(args[1].encode(), validate=True)
            except Exception:
                await self.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        else:
            blob = await self.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False)
        text = blob.decode("utf-8", "replace")
        fields = [f for f in text.split("\x01") if f]
        user = token = None
        for field in fields:
            if field.startswith("user="):
                user = field[5:]
            elif field.startswith("auth=Bearer "):
                token = field[12:]
            elif field.startswith("n,") or field.startswith("y,"):
                for part in field.split(","):
                    if part.startswith("a="):
                        user = part[2:].replace("=2C", ",").replace("=3D", "=")
        try:
            with open(ARGS.oauth_token_file) as f:
                current = f.read().strip()
        except OSError:
            current = None
        ok = token is not None and token == current and user == ARGS.oauth_user
        log_auth(f"{mechanism} {'ok' if ok else 'failed'} user={user}")
        if not ok:
            await self.push("535 5.7.3 Authentication unsuccessful [test.prod.outlook.com]")
            return AuthResult(success=False, handled=True)
        return AuthResult(success=True, auth_data=LoginPassword(user.encode(), b""))


def tls_context():
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(ARGS.cert, ARGS.key)
    return ctx


async def silent(reader, writer):
    """Accepts and never answers."""
    try:
        while await reader.read(1024):
            pass
    except Exception:
        pass


async def main():
    family = socket.AF_INET6 if ":" in ARGS.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((ARGS.host, 0))
    sock.listen(64)
    loop = asyncio.get_running_loop()
    if ARGS.mode == "silent":
        server = await asyncio.start_server(silent, sock=sock)
    else:
        def factory():
            return (OAuthSMTP if ARGS.oauth_token_file else TestSMTP)(
                Handler(),
                hostname="mx.test.invalid",
                data_size_limit=ARGS.size,
                tls_context=tls_context() if ARGS.mode == "starttls" else None,
                require_starttls=ARGS.require_starttls,
                authenticator=authenticator,
                auth_required=ARGS.auth_required,
                # With implicit TLS aiosmtpd does not know the socket is encrypted.
                auth_require_tls=not (ARGS.auth_plaintext or ARGS.mode == "tls"),
                decode_data=False,
                timeout=60,
            )
        server = await loop.create_server(factory, sock=sock, ssl=tls_context() if ARGS.mode == "tls" else None)
    print(json.dumps({"port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    import logging
    logging.disable(logging.CRITICAL)
    asyncio.run(main())
