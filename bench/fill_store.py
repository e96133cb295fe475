"""Fills a mailtui store folder with COUNT messages written as the store writes them (<id>.eml
and <id>.json, mode 0600), without SMTP: bench/store.sh measures the index on it.
Usage: fill_store.py FOLDER COUNT. A third of the messages are of the login project-a, a third
of project-b, a third of no login (the default mailbox)."""
import json
import os
import sys

folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, mode=0o700, exist_ok=True)
os.chmod(folder, 0o700)
start = 1_796_000_000_000
pid = os.getpid()
kinds = [
    ("Password reset {n}", "Acme <no-reply@acme.example>", "Follow https://acme.example/reset?t={n} to choose a password."),
    ("Order {n} confirmed", "Shop <orders@shop.example>", "Your order {n} ships tomorrow."),
    ("Welcome aboard {n}", "welcome@acme.example", "Hello there, number {n}."),
]
for n in range(count):
    millis = start + n * 10
    mid = "%d-%d-%06d" % (millis, pid, n + 1)
    subject, sender, body = kinds[n % 3]
    login = [None, "project-a", "project-b"][n % 3 if n % 7 else 0]
    text = ("From: %s\r\nTo: user%d@example.com\r\nSubject: %s\r\nMessage-ID: <%d@bench.example>\r\n"
            "Date: Sat, 05 Dec 2026 07:30:00 +0000\r\n\r\n%s\r\n") % (sender, n % 1000, subject.format(n=n), n, body.format(n=n))
    data = text.encode()
    record = {"bytes": len(data), "client": "127.0.0.1:5", "faults": [], "from": "app@example.com", "fromParameters": [],
              "id": mid, "path": os.path.join(folder, mid + ".eml"), "recipients": [{"address": "user%d@example.com" % (n % 1000), "parameters": []}],
              "time": millis // 1000, "transcript": []}
    if login:
        record["authUser"] = login
        record["authMechanism"] = "PLAIN"
    for name, content in ((mid + ".json", json.dumps(record, sort_keys=True).encode()), (mid + ".eml", data)):
        fd = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, content)
        os.close(fd)
