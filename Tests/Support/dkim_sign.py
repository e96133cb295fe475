#!/usr/bin/env python3
"""Signs a message with dkimpy, so that mailtui's verifier meets signatures it did not make.

  dkim_sign.py KEY.pem SELECTOR DOMAIN simple|relaxed IN.eml OUT.eml
"""
import sys

import dkim

key, selector, domain, canon, source, target = sys.argv[1:7]
message = open(source, "rb").read()
header = dkim.sign(message, selector.encode(), domain.encode(), open(key, "rb").read(),
                   canonicalize=(canon.encode(), canon.encode()), include_headers=[b"from", b"to", b"subject", b"date"])
open(target, "wb").write(header + message)
