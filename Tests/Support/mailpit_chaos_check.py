"""Checks Mailpit's chaos API on `mailtui serve --api --auth-plaintext`: triggers set with urllib's
PUT /api/v1/chaos strike smtplib's next transactions with Mailpit's codes and words, show in
GET /api/v1/faults, and bad values get a clear 400 while the server goes on. Mailpit's Python
client (mailpit-api-client) has no chaos calls, so urllib speaks for it.
Usage: mailpit_chaos_check.py API_URL SMTP_PORT. Prints `ok chaos` when every check held."""
import json
import smtplib
import sys
import urllib.error
import urllib.request

API, SMTP_PORT = sys.argv[1].rstrip("/"), int(sys.argv[2])
OFF = {"Sender": {"ErrorCode": 451, "Probability": 0}, "Recipient": {"ErrorCode": 451, "Probability": 0},
       "Authentication": {"ErrorCode": 535, "Probability": 0}}


def call(method, path, body=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(API + path, method=method, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def check(condition, *what):
    if not condition:
        raise AssertionError(what)


def send(login=False):
    with smtplib.SMTP("127.0.0.1", SMTP_PORT, timeout=60) as smtp:
        if login:
            smtp.login("project-a", "secret")
        smtp.sendmail("app@acme.example", ["ada@example.com"], b"Subject: chaos\r\n\r\nhi\r\n")


status, body = call("GET", "/api/v1/chaos")
check(status == 200 and json.loads(body) == OFF, status, body)

status, body = call("PUT", "/api/v1/chaos", {"Recipient": {"ErrorCode": 550, "Probability": 100}})
check(status == 200 and json.loads(body)["Recipient"] == {"ErrorCode": 550, "Probability": 100}, status, body)
status, body = call("GET", "/api/v1/faults")
check(json.loads(body) == {"faults": ["rcpt=550 Chaos recipient error ~100%"]}, body)
try:
    send()
    raise AssertionError("the Recipient trigger did not strike")
except smtplib.SMTPRecipientsRefused as refused:
    check(refused.recipients["ada@example.com"] == (550, b"Chaos recipient error"), refused.recipients)

call("PUT", "/api/v1/chaos", {"Sender": {"ErrorCode": 451, "Probability": 100}})
try:
    send()
    raise AssertionError("the Sender trigger did not strike")
except smtplib.SMTPSenderRefused as refused:
    check(refused.smtp_code == 451 and refused.smtp_error == b"Chaos sender error", refused)

call("PUT", "/api/v1/chaos", {"Authentication": {"Probability": 100}})
try:
    send(login=True)
    raise AssertionError("the Authentication trigger did not strike")
except smtplib.SMTPAuthenticationError as refused:
    check(refused.smtp_code == 535 and refused.smtp_error == b"Chaos authentication error", refused)

for bad, reason in [(b"{\"Sender\": ", b"not a JSON object"), ({"Sender": {"ErrorCode": 200, "Probability": 5}}, b"from 400 to 599"),
                    ({"Recipient": {"Probability": 150}}, b"from 0 to 100")]:
    status, body = call("PUT", "/api/v1/chaos", bad)
    check(status == 400 and reason in body, bad, status, body)
status, body = call("GET", "/api/v1/chaos")
check(json.loads(body)["Authentication"] == {"ErrorCode": 535, "Probability": 100}, body)

status, body = call("PUT", "/api/v1/chaos", {})
check(status == 200 and json.loads(body) == OFF, status, body)
send(login=True)
status, body = call("GET", "/api/v1/messages")
check(status == 200 and json.loads(body)["total"] == 1, status, body)
print("ok chaos")
