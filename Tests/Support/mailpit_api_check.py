"""Checks `mailtui serve --api` as Mailpit's clients see it: mail sent with smtplib, then the API
read with urllib (field names against Mailpit's swagger) and with Mailpit's published Python client
(mailpit-api-client) used unchanged. Usage: mailpit_api_check.py MODE API_URL SMTP_PORT.
Prints `ok MODE` on success; a failed check raises with what differed."""
import json
import smtplib
import socket
import sys
import threading
import urllib.error
import urllib.request
from email.message import EmailMessage

MODE, API, SMTP_PORT = sys.argv[1], sys.argv[2].rstrip("/"), int(sys.argv[3])
# The keys of Mailpit's swagger definitions (MessagesSummary, MessageSummary, Message, Address,
# Attachment, AppInformation).
LIST_KEYS = {"total", "unread", "count", "messages_count", "start", "tags", "messages"}
SUMMARY_KEYS = {"ID", "MessageID", "Read", "From", "To", "Cc", "Bcc", "ReplyTo", "Subject", "Created", "Username", "Tags", "Size", "Attachments", "Snippet"}
MESSAGE_KEYS = {"ID", "MessageID", "Read", "From", "To", "Cc", "Bcc", "ReplyTo", "ReturnPath", "Subject", "ListUnsubscribe", "Date", "Tags", "Username",
                "Text", "HTML", "Size", "Inline", "Attachments"}
ATTACHMENT_KEYS = {"PartID", "FileName", "ContentType", "ContentID", "Size", "Checksums"}
INFO_KEYS = {"Version", "LatestVersion", "Database", "DatabaseSize", "Messages", "Unread", "Tags", "RuntimeStats"}


def send(subject, to="Ada <ada@example.com>", attachment=True, extra=None):
    message = EmailMessage()
    for name, value in (extra or {}).items():
        message[name] = value
    message["From"] = "Acme <no-reply@acme.example>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = "<%s@acme.example>" % subject.replace(" ", "-")
    message.set_content("Follow https://acme.example/reset?t=1 to choose a password.")
    message.add_alternative("<p>Follow <a href='https://acme.example/reset?t=1'>this link</a></p>", subtype="html")
    if attachment:
        message.add_attachment(b"%PDF-1.4 terms", maintype="application", subtype="pdf", filename="terms.pdf")
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
        smtp.send_message(message)


def call(method, path, body=None):
    request = urllib.request.Request(API + path, method=method, data=None if body is None else json.dumps(body).encode())
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get_json(path):
    status, body = call("GET", path)
    assert status == 200, (path, status, body)
    return json.loads(body)


def check(condition, *what):
    if not condition:
        raise AssertionError(what)


def shapes():
    send("Password reset")
    send("Welcome", to="bob@example.com", attachment=False)
    listing = get_json("/api/v1/messages?limit=10")
    check(set(listing) == LIST_KEYS, sorted(listing))
    check(listing["total"] == 2 and listing["count"] == 2 and listing["unread"] == 2, listing)
    newest, oldest = listing["messages"]
    check(set(newest) == SUMMARY_KEYS, sorted(newest))
    check(newest["Subject"] == "Welcome" and oldest["Subject"] == "Password reset", newest, oldest)
    check(oldest["From"] == {"Name": "Acme", "Address": "no-reply@acme.example"}, oldest["From"])
    check(oldest["To"] == [{"Name": "Ada", "Address": "ada@example.com"}] and oldest["Attachments"] == 1, oldest)
    check(oldest["MessageID"] == "Password-reset@acme.example", oldest["MessageID"])
    message = get_json("/api/v1/message/" + oldest["ID"])
    check(set(message) == MESSAGE_KEYS, sorted(message))
    check("https://acme.example/reset?t=1" in message["Text"] and "this link" in message["HTML"], message)
    attachment = message["Attachments"][0]
    check(set(attachment) == ATTACHMENT_KEYS and attachment["FileName"] == "terms.pdf", attachment)
    status, part = call("GET", "/api/v1/message/%s/part/%s" % (oldest["ID"], attachment["PartID"]))
    check(status == 200 and part == b"%PDF-1.4 terms", status, part)
    check(get_json("/api/v1/message/latest")["Subject"] == "Welcome")
    status, raw = call("GET", "/api/v1/message/%s/raw" % oldest["ID"])
    check(status == 200 and b"Subject: Password reset" in raw, raw[:200])
    check(get_json("/api/v1/message/%s/headers" % oldest["ID"])["Subject"] == ["Password reset"])
    found = get_json("/api/v1/search?query=" + urllib.request.quote('subject:"password reset" has:attachment'))
    check(found["messages_count"] == 1 and found["messages"][0]["ID"] == oldest["ID"], found)
    # Both were opened: read, as in Mailpit. PUT marks one unread again.
    check(get_json("/api/v1/messages")["unread"] == 0)
    check(call("PUT", "/api/v1/messages", {"IDs": [newest["ID"]], "Read": False})[0] == 200)
    check(get_json("/api/v1/messages")["messages"][0]["Read"] is False)
    info = get_json("/api/v1/info")
    check(set(info) == INFO_KEYS and info["Messages"] == 2 and info["Unread"] == 1, info)
    conversation = get_json("/api/v1/message/%s/conversation" % oldest["ID"])
    check(any(line["text"].upper().startswith("MAIL FROM:") for line in conversation["transcript"]), conversation)
    check(call("DELETE", "/api/v1/messages", {"IDs": [newest["ID"]]})[0] == 200)
    check(get_json("/api/v1/messages")["total"] == 1)
    check(call("DELETE", "/api/v1/messages")[0] == 200)
    check(get_json("/api/v1/messages")["total"] == 0)


def wait():
    answer = {}

    def waiting():
        answer["status"], answer["body"] = call("GET", "/api/v1/wait?query=" + urllib.request.quote("subject:reset to:ada@example.com") + "&timeout=120")

    waiter = threading.Thread(target=waiting)
    waiter.start()
    send("Welcome", to="bob@example.com", attachment=False)
    send("Password reset")
    waiter.join(180)
    check(answer.get("status") == 200, answer)
    check(json.loads(answer["body"])["Subject"] == "Password reset", answer)
    status, body = call("GET", "/api/v1/wait?query=subject:nothing-like-this&timeout=0.5")
    check(status == 408 and b"0.5 seconds" in body, status, body)


def raw_request(data):
    """Sends bytes as they are and returns the status line (the connection may be closed)."""
    host, port = API.split("//")[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=60) as connection:
        try:
            connection.sendall(data)
        except OSError:
            pass
        reply = b""
        try:
            while b"\r\n" not in reply:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except OSError:
            pass
        return reply.split(b"\r\n")[0].decode()


def bad_input():
    check(raw_request(b"GET /api/v1/messages HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n").startswith("HTTP/1.1 431"))
    request = urllib.request.Request(API + "/api/v1/messages", method="DELETE", data=b'{"IDs": [')
    try:
        urllib.request.urlopen(request, timeout=60)
        raise AssertionError("a broken JSON body was taken")
    except urllib.error.HTTPError as error:
        check(error.code == 400 and b"IDs" in error.read(), error.code)
    check(call("GET", "/api/v1/message/1-2-000003")[0] == 404)
    check(call("PUT", "/api/v1/messages", {"IDs": ["x" * 1_050_000]})[0] == 413)
    check(raw_request(b"GET /api/v1/../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startswith("HTTP/1.1 400"))
    check(raw_request(b"GET /api/v1/message/%2e%2e/raw HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startswith("HTTP/1.1 400"))
    # A page whose domain is rebound to 127.0.0.1 sends its own name: refused without a token.
    check(raw_request(b"GET /api/v1/messages HTTP/1.1\r\nHost: evil.example:" + API.rsplit(":", 1)[1].encode() + b"\r\n\r\n").startswith("HTTP/1.1 403"))
    check(raw_request(b"NOT HTTP AT ALL\r\n\r\n").startswith("HTTP/1.1 400"))
    # And it goes on serving.
    check(get_json("/api/v1/messages")["total"] == 0)


def client():
    from mailpit.client.api import API as MailpitAPI
    # The client's Headers model requires Date and Delivered-To, which neither Mailpit nor
    # mailtui adds: the message carries them, as mail delivered by an MTA would.
    send("Password reset", extra={"Date": "Sat, 05 Dec 2026 07:30:00 +0000", "Delivered-To": "ada@example.com"})
    api = MailpitAPI(API)
    messages = api.get_messages()
    check(messages.total == 1 and messages.messages[0].subject == "Password reset", messages)
    summary = messages.messages[0]
    check(summary.from_.address == "no-reply@acme.example" and summary.to[0].name == "Ada", summary)
    message = api.get_message(summary.id)
    check(message.subject == "Password reset" and "reset?t=1" in message.text and message.attachments[0].file_name == "terms.pdf", message)
    headers = api.get_message_headers(summary.id)
    check(headers.from_ == ["Acme <no-reply@acme.example>"], headers)
    check(api.get_message_attachment(summary.id, message.attachments[0].part_id) == "%PDF-1.4 terms")
    api.delete_messages([])
    check(api.get_messages().total == 0)


def events():
    stream = urllib.request.urlopen(API + "/api/v1/events", timeout=120)
    check(stream.headers["Content-Type"] == "text/event-stream", stream.headers)
    # The stream is open once its first comment came: mail sent now is an arrival.
    check(stream.readline() == b": connected\n", "no first comment")
    send("Password reset")
    lines = []
    while not lines or not lines[-1].startswith(b"data: "):
        line = stream.readline()
        check(line, "the stream ended", lines)
        if line.strip():
            lines.append(line.strip())
    check(lines[-2] == b"event: message", lines)
    summary = json.loads(lines[-1][len(b"data: "):])
    check(set(summary) == SUMMARY_KEYS and summary["Subject"] == "Password reset", summary)
    stream.close()


def faults():
    check(get_json("/api/v1/faults") == {"faults": []})
    status, body = call("PUT", "/api/v1/faults", {"faults": ["rcpt=550 5.1.1 No such user"]})
    check(status == 200 and json.loads(body) == {"faults": ["rcpt=550 5.1.1 No such user"]}, status, body)
    try:
        send("Password reset")
        raise AssertionError("the fault did not strike")
    except smtplib.SMTPRecipientsRefused as refused:
        check(refused.recipients["ada@example.com"][0] == 550, refused.recipients)
    status, body = call("PUT", "/api/v1/faults", {"faults": ["nowhere=550 x"]})
    check(status == 400 and b"--fault" in body, status, body)
    check(call("DELETE", "/api/v1/faults")[0] == 200)
    send("Password reset")
    check(get_json("/api/v1/messages")["total"] == 1)


def send_as(login, subject, to="Ada <ada@example.com>"):
    """Sends a plain message with a login (serve, without --user, takes any; --auth-plaintext
    offers AUTH without TLS) or, with login None, without one."""
    message = EmailMessage()
    message["From"] = "Acme <no-reply@acme.example>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = "Sat, 05 Dec 2026 07:30:00 +0000"
    message["Delivered-To"] = "ada@example.com"
    message.set_content("Follow https://acme.example/reset?t=1 to choose a password.")
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
        if login:
            smtp.login(login, "any password")
        smtp.send_message(message)


def listing(query=""):
    return get_json("/api/v1/messages" + query)


def mailboxes():
    send_as("project-a", "Password reset A1")
    send_as("project-b", "Password reset B1")
    send_as("project-a", "Welcome A2")
    send_as(None, "Password reset default")
    a = listing("?mailbox=project-a")
    check(a["total"] == 2 and [m["Subject"] for m in a["messages"]] == ["Welcome A2", "Password reset A1"], a)
    check(all(m["Tags"] == ["project-a"] and m["Username"] == "project-a" for m in a["messages"]), a)
    b = listing("?mailbox=project-b")
    check(b["total"] == 1 and b["messages"][0]["Subject"] == "Password reset B1" and b["tags"] == ["project-b"], b)
    default = listing("?mailbox=default")
    check(default["total"] == 1 and default["messages"][0]["Tags"] == [] and default["messages"][0]["Subject"] == "Password reset default", default)
    everything = listing()
    check(everything["total"] == 4 and everything["tags"] == ["project-a", "project-b"], everything)
    found = get_json("/api/v1/search?query=" + urllib.request.quote("tag:project-b"))
    check(found["messages_count"] == 1 and found["messages"][0]["Subject"] == "Password reset B1", found)
    found = get_json("/api/v1/search?mailbox=project-a&query=" + urllib.request.quote("subject:reset"))
    check(found["messages_count"] == 1 and found["messages"][0]["Subject"] == "Password reset A1" and found["total"] == 2, found)
    # Mailpit's PUT /api/v1/tags: the tags beside the mailbox's.
    welcome = a["messages"][0]["ID"]
    check(call("PUT", "/api/v1/tags", {"IDs": [welcome], "Tags": ["urgent"]})[0] == 200)
    tagged = get_json("/api/v1/search?query=tag:urgent")
    check(tagged["messages_count"] == 1 and tagged["messages"][0]["Tags"] == ["project-a", "urgent"], tagged)
    check(get_json("/api/v1/message/" + welcome)["Tags"] == ["project-a", "urgent"])
    check(get_json("/api/v1/info")["Tags"] == {"project-a": 2, "project-b": 1, "urgent": 1})
    check(get_json("/api/v1/tags") == ["project-a", "project-b", "urgent"])
    # A wait in one mailbox is not answered by another's mail.
    answer = {}

    def waiting():
        answer["status"], answer["body"] = call("GET", "/api/v1/wait?mailbox=project-b&query=subject:later&timeout=120")

    waiter = threading.Thread(target=waiting)
    waiter.start()
    send_as("project-a", "later for A")
    send_as("project-b", "later for B")
    waiter.join(180)
    check(answer.get("status") == 200 and json.loads(answer["body"])["Subject"] == "later for B", answer)
    # Mailpit's client, unchanged, reads the lists (its models have no tags).
    from mailpit.client.api import API as MailpitAPI
    messages = MailpitAPI(API).get_messages()
    check(messages.total == 6 and messages.messages[0].subject == "later for B", messages)
    # Deleting one mailbox leaves the others.
    check(call("DELETE", "/api/v1/messages?mailbox=project-a")[0] == 200)
    check(listing()["total"] == 3 and listing("?mailbox=project-a")["total"] == 0 and listing("?mailbox=project-b")["total"] == 2)


def remember():
    """Before a restart: one message marked read with Mailpit's client, one tagged."""
    from mailpit.client.api import API as MailpitAPI
    send_as(None, "first")
    send_as(None, "second")
    api = MailpitAPI(API)
    second, first = api.get_messages().messages
    api.put_messages([first.id], "Read", True)
    check(call("PUT", "/api/v1/tags", {"IDs": [second.id], "Tags": ["kept"]})[0] == 200)
    check(listing()["unread"] == 1)


def remembered():
    """After the restart: the same marks and tags."""
    from mailpit.client.api import API as MailpitAPI
    second, first = MailpitAPI(API).get_messages().messages
    check(first.subject == "first" and first.read is True and second.read is False, first, second)
    check(listing()["messages"][0]["Tags"] == ["kept"])
    info = get_json("/api/v1/info")
    check(info["Messages"] == 2 and info["Unread"] == 1, info)


{"faults": faults, "events": events, "shapes": shapes, "wait": wait, "bad": bad_input, "client": client, "mailboxes": mailboxes,
 "remember": remember, "remembered": remembered}[MODE]()
print("ok " + MODE)
