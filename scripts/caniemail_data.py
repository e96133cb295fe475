#!/usr/bin/env python3
"""Turns caniemail's support data into Sources/MailCore/Checks/CanIEmailData.swift.

  scripts/caniemail_data.py PATH/TO/caniemail [OUT.swift]

caniemail (https://www.caniemail.com, https://github.com/hteumeuleu/caniemail) is MIT-licensed,
Copyright (c) 2019 HTeuMeuLeu; the generated file carries that notice. For each feature that a
message's HTML or CSS can be seen to use, it keeps the clients whose latest tested version does
not support it ("n") or supports it only partly ("a"), with caniemail's notes. One tab-separated
line per feature (F) and per client (C), so that the Swift file is a single string literal:

  F <slug> <title> <match keys>        p:property f:function m:media-feature @:at-rule
                                       v:display:value e:element a:attribute i:image-extension
  C <n|a> <client name> <notes, separated by " | ">
"""
import os
import re
import subprocess
import sys

import yaml

root = sys.argv[1]
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "Sources", "MailCore", "Checks", "CanIEmailData.swift")

nice = yaml.safe_load(open(os.path.join(root, "_data", "nicenames.yml")))
families, platforms = nice["family"], nice["platform"]


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    parts = text.split("\n---", 1)
    body = parts[0][3:] if parts[0].startswith("---") else parts[0]
    # caniemail's front matter indents its flow mappings with tabs, which YAML allows only as
    # separation inside flow context: tabs become spaces first.
    return yaml.safe_load(body.replace("\t", "    "))


def match_keys(slug, title, category):
    title = (title or "").strip()
    if category == "image":
        name = slug[len("image-"):]
        return {"jpg": ["i:jpg", "i:jpeg"], "svg": ["i:svg", "e:svg"], "base64": []}.get(name, ["i:" + name])
    if category == "html":
        element = re.fullmatch(r"<([a-z0-9]+)>(?: element)?", title.split(" element")[0] + (" element" if " element" in title else ""))
        if element:
            return ["e:" + element.group(1)]
        attribute = re.fullmatch(r"([a-z-]+) attribute", title)
        if attribute:
            return ["a:" + attribute.group(1)]
        name = slug[len("html-"):]
        special = {"h1-h6": ["e:h%d" % n for n in range(1, 7)], "lists": ["e:ul", "e:ol", "e:li"], "meta-color-scheme": [],
                   "input-checkbox": [], "input-radio": [], "input-text": [], "input-hidden": [], "input-submit": [], "input-reset": [],
                   "button-reset": [], "button-submit": [], "comments": [], "doctype": [], "semantics": [], "anchor-links": [],
                   "mailto-links": [], "image-maps": ["e:map"], "loading-attribute": ["a:loading"]}
        if name in special:
            return special[name]
        return ["e:" + name, "a:" + name] if re.fullmatch(r"[a-z0-9-]+", name) else []
    if category == "css":
        name = slug[len("css-"):]
        media = re.findall(r"@media \(([a-z-]+)\)", title)
        if media:
            return ["m:" + m for m in media]
        if name.startswith("at-"):
            return ["@:" + name[3:]] if re.fullmatch(r"[a-z-]+", name[3:]) else []
        if title.endswith("()"):
            return ["f:" + title[:-2].strip()]
        value = re.fullmatch(r"display ?: ?([a-z-]+)", title)
        if value:
            return ["v:display:" + value.group(1)]
        if name.startswith("function-"):
            return ["f:" + name[len("function-"):]]
        if name.endswith("-gradient"):
            return ["f:" + name]
        properties = [p.strip() for p in title.split("&")]
        if all(re.fullmatch(r"[a-z-]+", p) for p in properties):
            return ["p:" + p for p in properties]
        return ["p:" + name] if re.fullmatch(r"[a-z-]+", name) else []
    return []


def version_order(version):
    return [int(p) if p.isdigit() else p for p in re.split(r"[.-]", str(version))]


def clean(text):
    return " ".join(str(text).split()).replace("\\", "/").replace("|", "/")


lines = []
features = sorted(f for f in os.listdir(os.path.join(root, "_features")) if f.endswith(".md") and not f.startswith("_"))
for name in features:
    data = front_matter(os.path.join(root, "_features", name))
    if not isinstance(data, dict) or not isinstance(data.get("stats"), dict):
        continue
    slug = name[:-3]
    keys = match_keys(slug, str(data.get("title", "")), data.get("category"))
    if not keys:
        continue
    notes = {str(k): str(v) for k, v in (data.get("notes_by_num") or {}).items()}
    clients = []
    for family, by_platform in data["stats"].items():
        if not isinstance(by_platform, dict):
            continue
        for platform, versions in by_platform.items():
            if not isinstance(versions, dict) or not versions:
                continue
            # The latest version tested, as listed last (caniemail lists them in order).
            version, support = list(versions.items())[-1]
            words = str(support).split()
            if not words or words[0] not in ("n", "a"):
                continue
            refs = [notes[w[1:]] for w in words[1:] if w.startswith("#") and w[1:] in notes]
            family_name, platform_name = families.get(family, family), platforms.get(platform, platform)
            client = platform_name if platform_name.startswith(family_name) else "%s %s" % (family_name, platform_name)
            clients.append((words[0], client, " | ".join(clean(ref) for ref in refs)))
    if not clients:
        continue
    lines.append("\t".join(["F", slug, clean(data.get("title", slug)), " ".join(keys)]))
    for support, client, note in clients:
        lines.append("\t".join(["C", support, clean(client), note]))

commit = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip() or "unknown"
with open(out, "w", encoding="utf-8") as f:
    f.write("// Generated by scripts/caniemail_data.py from caniemail (https://github.com/hteumeuleu/caniemail,\n")
    f.write("// commit %s). Do not edit: run the script again.\n//\n" % commit)
    f.write("// caniemail's data: MIT License, Copyright (c) 2019 HTeuMeuLeu. Permission is hereby granted, free of\n"
            "// charge, to any person obtaining a copy of this software and associated documentation files (the\n"
            "// \"Software\"), to deal in the Software without restriction, including without limitation the rights\n"
            "// to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and\n"
            "// to permit persons to whom the Software is furnished to do so, subject to the following conditions:\n"
            "// The above copyright notice and this permission notice shall be included in all copies or\n"
            "// substantial portions of the Software. THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY\n"
            "// KIND, EXPRESS OR IMPLIED.\n\n")
    f.write("extension CanIEmail {\n    static let commit = \"%s\"\n\n" % commit)
    f.write("    /// F slug title keys / C support client notes, tab-separated.\n")
    f.write("    static let data = #\"\"\"\n")
    for line in lines:
        f.write(line.replace('"""#', '"" "#') + "\n")
    f.write("\"\"\"#\n}\n")
print("%d lines, %d features -> %s" % (len(lines), sum(1 for l in lines if l.startswith("F\t")), out))
