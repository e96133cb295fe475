#!/usr/bin/env python3
"""A DNS server for the domain-check tests, on 127.0.0.1 (UDP and TCP). Loopback only.

  dns_server.py ZONES.json     serves the zones and prints {"port": N} when ready

ZONES.json maps a name to its records: [["A", "192.0.2.1"], ["MX", "10 mx.example.test"],
["TXT", "v=spf1 -all"] or ["TXT", ["part one", "part two"]], ["CNAME", "target"], ["PTR", "name"],
["AAAA", "2001:db8::1"], ["NS", "ns.example.test"], ["SILENT", ""]]. A name with a SILENT record is
never answered (the query waits until the client gives up), as a slow or broken server. Like a recursive resolver it follows CNAMEs in its answers. A name it
does not have is NXDOMAIN; a name it has without the type asked is an empty NOERROR answer.
"""
import json
import os
import sys
import time

from dnslib import AAAA, CNAME, MX, NS, PTR, QTYPE, RCODE, RR, TXT, A
from dnslib.server import BaseResolver, DNSServer

ZONES = {k.rstrip(".").lower(): v for k, v in json.load(open(sys.argv[1])).items()}


def rdata(kind, value):
    if kind == "A":
        return A(value)
    if kind == "AAAA":
        return AAAA(value)
    if kind == "MX":
        preference, exchange = value.split(" ", 1)
        return MX(exchange, int(preference))
    if kind == "TXT":
        return TXT([s.encode() for s in value] if isinstance(value, list) else [value.encode()[i:i + 255] for i in range(0, max(1, len(value.encode())), 255)])
    if kind == "CNAME":
        return CNAME(value)
    if kind == "PTR":
        return PTR(value)
    if kind == "NS":
        return NS(value)
    raise ValueError(kind)


class Resolver(BaseResolver):
    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        wanted = QTYPE[request.q.qtype]
        for _ in range(10):
            records = ZONES.get(name)
            if records is not None and any(k == "SILENT" for k, _ in records):
                # Each request has its own thread: this one answers long after the client stopped waiting.
                time.sleep(600)
                return reply
            if records is None:
                if not reply.rr:
                    reply.header.rcode = RCODE.NXDOMAIN
                return reply
            cname = [v for k, v in records if k == "CNAME"]
            if cname and wanted != "CNAME":
                reply.add_answer(RR(name, QTYPE.CNAME, rdata=rdata("CNAME", cname[0]), ttl=60))
                name = cname[0].rstrip(".").lower()
                continue
            for kind, value in records:
                if kind == wanted:
                    reply.add_answer(RR(name, getattr(QTYPE, kind), rdata=rdata(kind, value), ttl=60))
            return reply
        return reply


resolver = Resolver()
# A free UDP port is not always free for TCP too: try again with another until both bind.
for attempt in range(50):
    udp = DNSServer(resolver, port=0, address="127.0.0.1")
    port = udp.server.server_address[1]
    try:
        tcp = DNSServer(resolver, port=port, address="127.0.0.1", tcp=True)
        break
    except OSError:
        udp.server.server_close()
else:
    sys.exit("no port free for both UDP and TCP")
udp.start_thread()
tcp.start_thread()
print(json.dumps({"port": port, "pid": os.getpid()}), flush=True)
while True:
    time.sleep(3600)
