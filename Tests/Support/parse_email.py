#!/usr/bin/env python3
"""Parses a message from stdin with Python's email package and prints what it found as JSON.

An independent parser for the MIME writer's tests: if Python reads back the same subject,
addresses, parts and attachment bytes, mail clients will too.
"""
import base64, email, email.policy, json, sys

raw = sys.stdin.buffer.read()
msg = email.message_from_bytes(raw, policy=email.policy.default)
lines = raw.split(b"\r\n")
bare_lf = b"\n" in raw.replace(b"\r\n", b"")
parts = []
for part in msg.walk():
    if part.is_multipart():
        parts.append({"content_type": part.get_content_type(), "multipart": True})
        continue
    payload = part.get_payload(decode=True) or b""
    parts.append({
        "content_type": part.get_content_type(),
        "multipart": False,
        "filename": part.get_filename(),
        "charset": part.get_content_charset(),
        "disposition": part.get_content_disposition(),
        "transfer_encoding": part.get("Content-Transfer-Encoding"),
        "payload_b64": base64.b64encode(payload).decode(),
    })

def addresses(name):
    header = msg[name]
    if header is None:
        return None
    return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]

legacy = email.message_from_bytes(raw, policy=email.policy.compat32)


def rfc2047_names(name):
    """Display names read as RFC 2047 says: the list split first, then each name decoded, with the
    white space between adjacent encoded-words dropped (the new parser above keeps it)."""
    from email.header import decode_header, make_header
    from email.utils import getaddresses
    values = [v.replace("\r\n", "").replace("\n", "") for v in legacy.get_all(name) or []]
    return [str(make_header(decode_header(n))) for n, _ in getaddresses(values)]


print(json.dumps({
    "names": {h: rfc2047_names(h) for h in ("from", "to", "cc", "reply-to")},
    "subject": msg["subject"],
    "from": addresses("from"),
    "to": addresses("to"),
    "cc": addresses("cc"),
    "reply_to": addresses("reply-to"),
    "has_bcc": msg["bcc"] is not None,
    "message_id": msg["message-id"],
    "date": msg["date"],
    "extra": {k: str(v) for k, v in msg.items() if k.lower().startswith("x-")},
    "defects": [type(d).__name__ for d in msg.defects] + [type(d).__name__ for p in msg.walk() for d in p.defects],
    "parts": parts,
    "max_line_length": max(len(l) for l in lines),
    "bare_lf": bare_lf,
}))
