#!/usr/bin/env python3
"""Signs a message with dkimpy, so that mailtui's verifier meets signatures it did not make.

  dkim_sign.py KEY.pem SELECTOR DOMAIN simple|relaxed IN.eml OUT.eml [HEADER,HEADER...]

The optional last argument names the header fields to sign (h=); by default From, To, Subject, Date.
"""
import sys

import dkim

key, selector, domain, canon, source, target = sys.argv[1:7]
signed = [name.encode() for name in sys.argv[7].split(",")] if len(sys.argv) > 7 else [b"from", b"to", b"subject", b"date"]
message = open(source, "rb").read()
header = dkim.sign(message, selector.encode(), domain.encode(), open(key, "rb").read(),
                   canonicalize=(canon.encode(), canon.encode()), include_headers=signed)
open(target, "wb").write(header + message)
