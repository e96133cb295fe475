#!/usr/bin/env python3
"""An HTTPS server for the MTA-STS tests, on 127.0.0.1 with a test certificate. Loopback only.

  https_server.py PAGES.json CERT.pem KEY.pem    prints {"port": N, "pid": P} when ready

PAGES.json maps a path to [status, content type, body]; any other path is 404.
"""
import http.server
import json
import os
import ssl
import sys

PAGES = json.load(open(sys.argv[1]))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        status, kind, text = PAGES.get(self.path, [404, "text/plain", "not found"])
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        if 300 <= status < 400:
            self.send_header("Location", "https://127.0.0.1/elsewhere")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[2], sys.argv[3])
server.socket = context.wrap_socket(server.socket, server_side=True)
print(json.dumps({"port": server.server_address[1], "pid": os.getpid()}), flush=True)
server.serve_forever()
