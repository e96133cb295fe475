#!/usr/bin/env python3
"""checkdmarc's reading of DMARC records, to compare mailtui's parser with.

  dmarc_parse.py RECORDS.json   prints a JSON list: {"valid": false} or
                                {"valid": true, "p": ..., "sp": ..., "adkim": ..., "aspf": ...}
"""
import json
import sys

from checkdmarc.dmarc import parse_dmarc_record

results = []
for record in json.load(open(sys.argv[1])):
    try:
        parsed = parse_dmarc_record(record, "example.com", include_tag_descriptions=False, nameservers=["127.0.0.1"], timeout=0.5)
    except Exception:
        results.append({"valid": False})
        continue
    tags = parsed["tags"]
    results.append({"valid": True, **{name: tags[name]["value"] for name in ("p", "sp", "adkim", "aspf")}})
print(json.dumps(results))
