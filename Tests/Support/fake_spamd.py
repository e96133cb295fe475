#!/usr/bin/env python3
"""A fake spamd for mailtui's tests, on a free loopback port: it answers every SPAMC/1.5 REPORT
with the same report (score 2.5 of 5.0, two rules), as spamd words it, and writes each message
it was asked about to --store as N.eml. Prints {"port": N, "pid": P} when ready.
"""
import argparse, json, os, socket, socketserver, threading

p = argparse.ArgumentParser()
p.add_argument("--store", required=True)
ARGS = p.parse_args()
LOCK = threading.Lock()
COUNT = [0]

REPORT = (
    "Spam detection software, running on the system \"fake\", has NOT identified this incoming email as spam.\r\n"
    "\r\n"
    "Content analysis details:   (2.5 points, 5.0 required)\r\n"
    "\r\n"
    " pts rule name              description\r\n"
    "---- ---------------------- --------------------------------------------------\r\n"
    " 1.5 FAKE_RULE_ONE          The first rule of the fake spamd\r\n"
    " 1.0 FAKE_RULE_TWO          The second rule of the fake spamd\r\n"
    "\r\n"
)


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.connection.settimeout(30)
        length = 0
        while True:
            line = self.rfile.readline(4096)
            if not line or line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        message = self.rfile.read(length)
        with LOCK:
            COUNT[0] += 1
            with open(os.path.join(ARGS.store, "%d.eml" % COUNT[0]), "wb") as f:
                f.write(message)
        body = REPORT.encode()
        self.wfile.write(b"SPAMD/1.1 0 EX_OK\r\nContent-length: %d\r\nSpam: False ; 2.5 / 5.0\r\n\r\n" % len(body) + body)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


os.makedirs(ARGS.store, exist_ok=True)
server = Server(("127.0.0.1", 0), Handler)
print(json.dumps({"port": server.server_address[1], "pid": os.getpid()}), flush=True)
server.serve_forever()
