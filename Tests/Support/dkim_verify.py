#!/usr/bin/env python3
"""dkimpy's verdict on messages, with keys from the test DNS server.

  dkim_verify.py PORT FILE...   prints a JSON list: true when the message's DKIM signature verifies
"""
import json
import sys

import dkim
import dns.resolver

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = int(sys.argv[1])
resolver.lifetime = 5


def txt(name, timeout=5):
    name = name.decode() if isinstance(name, bytes) else name
    try:
        answer = resolver.resolve(name.rstrip("."), "TXT")
    except Exception:
        return None
    return b"".join(b"".join(r.strings) for r in answer)


print(json.dumps([bool(dkim.verify(open(path, "rb").read(), dnsfunc=txt)) for path in sys.argv[2:]]))
