#!/usr/bin/env python3
"""A fake OAuth 2.0 authority for mailtui's tests, on a free loopback port.

It speaks what Microsoft's identity platform (login.microsoftonline.com, v2.0) and Google's
(accounts.google.com, oauth2.googleapis.com) speak: RFC 8628 device codes, RFC 6749 token and
refresh grants, RFC 7636 PKCE for the authorization code, with their JSON fields, HTTP statuses
and error codes (Microsoft's AADSTS numbers in error_codes). Prints {"port": N, "pid": P} when ready.

--token-file PATH receives the newest access token (one line), so that a test SMTP server can
take only the current one. A file named `revoked` in --control revokes every refresh token;
a file named `log` there gets one line per request (grant types, never a token).
"""
import argparse, base64, hashlib, json, os, secrets, sys, time, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

p = argparse.ArgumentParser()
p.add_argument("--provider", choices=["microsoft", "google"], default="microsoft")
p.add_argument("--pending", type=int, default=1, help="authorization_pending replies before approval")
p.add_argument("--slow-down", action="store_true", help="answer the first poll with slow_down")
p.add_argument("--approval", default="approve", help="approve, or the error the poll ends with: expired_token, access_denied, authorization_declined, AADSTS50076, ...")
p.add_argument("--token-error", help="an error every token request gets: invalid_client, AADSTS7000218, AADSTS700016, AADSTS65001, ...")
p.add_argument("--device-error", help="an error the device code request gets: invalid_scope, AADSTS700016, ...")
p.add_argument("--expires-in", type=int, default=3600)
p.add_argument("--user", default="ada@example.com")
p.add_argument("--client-id", default="test-client-id")
p.add_argument("--client-secret", help="required from the client (Google desktop clients)")
p.add_argument("--token-file")
p.add_argument("--control", required=True)
p.add_argument("--skew", type=int, default=0, help="seconds added to the Date header")
p.add_argument("--huge", type=int, default=0, help="answer the device code request with this many bytes of JSON (a hostile authority)")
p.add_argument("--refresh-delay", type=float, default=0, help="seconds before answering a refresh (two clients refreshing at once overlap)")
ARGS = p.parse_args()
os.makedirs(ARGS.control, exist_ok=True)

STATE = {"polls": 0, "codes": {}, "refresh": set(), "auth_codes": {}, "count": 0}

MS_ERRORS = {
    # AADSTS number: (error, description start)
    70016: ("authorization_pending", "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
    70020: ("expired_token", "The provided value for the input parameter 'device_code' is not valid. This device code has expired."),
    70000: ("invalid_grant", "The provided value for the 'refresh_token' is not valid."),
    50173: ("invalid_grant", "The provided grant has expired due to it being revoked, a fresh auth token is needed."),
    50076: ("invalid_grant", "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'."),
    50079: ("invalid_grant", "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'."),
    65001: ("invalid_grant", "The user or administrator has not consented to use the application with ID '%s' named 'mailtui test'. Send an interactive authorization request for this user and resource."),
    700016: ("unauthorized_client", "Application with identifier '%s' was not found in the directory 'Contoso'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."),
    7000218: ("invalid_client", "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
}

GOOGLE_ERRORS = {
    "authorization_pending": (428, "Precondition Required"),
    "slow_down": (403, "Forbidden"),
    "access_denied": (403, "Forbidden"),
    "expired_token": (400, "Bad Request"),
    "invalid_grant": (400, "Token has been expired or revoked."),
    "invalid_client": (401, "The OAuth client was not found."),
    "invalid_scope": (400, "Invalid scope: https://mail.google.com/"),
}


def log(line):
    with open(os.path.join(ARGS.control, "log"), "a") as f:
        f.write(line + "\n")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def id_token():
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT", "kid": "test"}).encode())
    claims = {"aud": ARGS.client_id, "iat": int(time.time()), "exp": int(time.time()) + 3600, "sub": "test-subject"}
    if ARGS.provider == "microsoft":
        claims.update({"iss": "https://login.microsoftonline.com/tenant/v2.0", "preferred_username": ARGS.user, "name": "Ada", "tid": str(uuid.uuid4())})
    else:
        claims.update({"iss": "https://accounts.google.com", "email": ARGS.user, "email_verified": True})
    return header + "." + b64url(json.dumps(claims).encode()) + "." + b64url(b"not-a-real-signature")


def new_tokens(include_refresh=True, scope=""):
    STATE["count"] += 1
    access = "at-%d-%s" % (STATE["count"], secrets.token_hex(24))
    if ARGS.token_file:
        with open(ARGS.token_file + ".tmp", "w") as f:
            f.write(access + "\n")
        os.replace(ARGS.token_file + ".tmp", ARGS.token_file)
    body = {"token_type": "Bearer", "expires_in": ARGS.expires_in, "access_token": access}
    if ARGS.provider == "microsoft":
        body.update({"scope": "https://outlook.office.com/SMTP.Send", "ext_expires_in": ARGS.expires_in})
    else:
        body.update({"scope": "https://mail.google.com/ openid https://www.googleapis.com/auth/userinfo.email"})
    if include_refresh:
        refresh = "rt-%d-%s" % (STATE["count"], secrets.token_hex(24))
        STATE["refresh"].add(refresh)
        body["refresh_token"] = refresh
    if scope is not None:
        body["id_token"] = id_token()
    return body


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def date_time_string(self, timestamp=None):
        return super().date_time_string(time.time() + ARGS.skew)

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def error(self, code):
        """An error as the provider words it: code is an RFC name or AADSTSnnnn."""
        if ARGS.provider == "microsoft":
            number = None
            if code.startswith("AADSTS"):
                number = int(code[6:])
                name, text = MS_ERRORS[number]
            else:
                number = {"authorization_pending": 70016, "expired_token": 70020, "invalid_grant": 70000}.get(code)
                name = code
                text = MS_ERRORS[number][1] if number else {"slow_down": "OAuth 2.0 device flow error. Slow down.",
                                                             "authorization_declined": "The end user denied the authorization request.",
                                                             "access_denied": "The user has denied access to the scope requested by the client application.",
                                                             "invalid_client": "Invalid client secret provided.",
                                                             "invalid_scope": "The provided value for the input parameter 'scope' is not valid."}.get(code, code)
            if "%s" in text:
                text = text % ARGS.client_id
            trace, corr = str(uuid.uuid4()), str(uuid.uuid4())
            stamp = time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())
            body = {"error": name,
                    "error_description": ("AADSTS%d: " % number if number else "") + text + "\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s" % (trace, corr, stamp),
                    "error_codes": [number] if number else [],
                    "timestamp": stamp, "trace_id": trace, "correlation_id": corr}
            if number:
                body["error_uri"] = "https://login.microsoftonline.com/error?code=%d" % number
            if number == 65001:
                body["suberror"] = "consent_required"
            status = 401 if name == "invalid_client" else 400
            self.reply(status, body)
        else:
            status, text = GOOGLE_ERRORS.get(code, (400, "Bad Request"))
            self.reply(status, {"error": code, "error_description": text})

    def form(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode()
        return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

    def do_GET(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path.endswith("/authorize") or url.path == "/o/oauth2/v2/auth":
            log("authorize method=%s" % query.get("code_challenge_method"))
            code = "code-" + secrets.token_hex(8)
            STATE["auth_codes"][code] = (query.get("code_challenge"), query.get("redirect_uri"))
            target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", ""), "scope": query.get("scope", "")})
            self.send_response(302)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.reply(404, {"error": "not_found"})

    def do_POST(self):
        url = urlparse(self.path)
        form = self.form()
        if form.get("client_id") != ARGS.client_id:
            log("unknown client")
            return self.error("AADSTS700016" if ARGS.provider == "microsoft" else "invalid_client")
        if ARGS.client_secret and form.get("client_secret") != ARGS.client_secret:
            return self.error("invalid_client")
        if url.path.endswith("/devicecode") or url.path == "/device/code":
            log("devicecode scope=%s" % form.get("scope"))
            if ARGS.device_error:
                return self.error(ARGS.device_error)
            if ARGS.huge:
                data = b'{"message": "' + b"x" * ARGS.huge + b'"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except OSError:
                    pass
                return
            code = "dc-" + secrets.token_hex(16)
            STATE["codes"][code] = time.time() + 900
            user_code = "ABCD-" + secrets.token_hex(2).upper()
            if ARGS.provider == "microsoft":
                return self.reply(200, {"user_code": user_code, "device_code": code, "verification_uri": "https://microsoft.com/devicelogin",
                                        "expires_in": 900, "interval": 1,
                                        "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code %s to authenticate." % user_code})
            return self.reply(200, {"device_code": code, "user_code": user_code, "expires_in": 1800, "interval": 1,
                                    "verification_url": "https://www.google.com/device"})
        if url.path.endswith("/token"):
            grant = form.get("grant_type")
            log("token grant=%s" % grant)
            if ARGS.token_error:
                return self.error(ARGS.token_error)
            if grant == "urn:ietf:params:oauth:grant-type:device_code":
                if form.get("device_code") not in STATE["codes"]:
                    return self.error("invalid_grant")
                STATE["polls"] += 1
                if ARGS.slow_down and STATE["polls"] == 1:
                    return self.error("slow_down")
                if STATE["polls"] <= ARGS.pending + (1 if ARGS.slow_down else 0):
                    return self.error("authorization_pending")
                if ARGS.approval != "approve":
                    return self.error(ARGS.approval)
                del STATE["codes"][form["device_code"]]
                return self.reply(200, new_tokens())
            if grant == "refresh_token":
                token = form.get("refresh_token")
                time.sleep(ARGS.refresh_delay)
                if os.path.exists(os.path.join(ARGS.control, "revoked")) or token not in STATE["refresh"]:
                    return self.error("AADSTS50173" if ARGS.provider == "microsoft" else "invalid_grant")
                if ARGS.provider == "microsoft":
                    # Microsoft rotates the refresh token; Google keeps it and sends none.
                    STATE["refresh"].discard(token)
                    return self.reply(200, new_tokens())
                return self.reply(200, new_tokens(include_refresh=False))
            if grant == "authorization_code":
                entry = STATE["auth_codes"].pop(form.get("code"), None)
                if entry is None or entry[1] != form.get("redirect_uri"):
                    return self.error("invalid_grant")
                verifier = form.get("code_verifier", "")
                if b64url(hashlib.sha256(verifier.encode()).digest()) != entry[0]:
                    log("pkce mismatch")
                    return self.error("invalid_grant")
                log("pkce ok")
                return self.reply(200, new_tokens())
            return self.error("unsupported_grant_type")
        self.reply(404, {"error": "not_found"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(json.dumps({"port": server.server_address[1], "pid": os.getpid()}), flush=True)
server.serve_forever()
