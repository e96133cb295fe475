#!/usr/bin/env python3
"""pyspf's verdict on SPF checks, asking the test DNS server, to compare mailtui's evaluator with.

  spf_check.py PORT CASES.json   CASES.json is [[ip, domain], ...]; prints a JSON list of results
"""
import json
import sys

import dns.resolver
import spf

resolver = dns.resolver.Resolver(configure=False)
resolver.nameservers = ["127.0.0.1"]
resolver.port = int(sys.argv[1])
resolver.lifetime = 5
dns.resolver.default_resolver = resolver

results = []
for ip, domain in json.load(open(sys.argv[2])):
    result, _ = spf.check2(i=ip, s="postmaster@" + domain, h="client.test", querytime=5)
    results.append(result)
print(json.dumps(results))
