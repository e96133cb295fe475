"""A stand-in for `mailtui serve --api --api-token s3cret` seen from beyond loopback: every request
without `Authorization: Bearer s3cret` gets 401, as serve answers such a client. An empty inbox;
`/api/v1/wait` answers 408 at its timeout. Prints its port, then serves until killed.
Usage: fake_token_api.py TOKEN"""
import json
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = sys.argv[1]


class Handler(BaseHTTPRequestHandler):
    def answer(self, status, body, kind="application/json"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.headers.get("Authorization") != "Bearer " + TOKEN:
            return self.answer(401, "give the API token: Authorization: Bearer TOKEN\n", "text/plain")
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path == "/api/v1/messages":
            return self.answer(200, json.dumps({"total": 0, "messages": []}))
        if url.path == "/api/v1/wait":
            time.sleep(min(float(query.get("timeout", ["0"])[0]), 30))
            return self.answer(408, "no message arrived\n", "text/plain")
        return self.answer(404, "no such endpoint\n", "text/plain")

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
