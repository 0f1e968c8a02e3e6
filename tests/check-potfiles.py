#!/usr/bin/env python3
"""Fails when po/POTFILES.in misses a source file with translatable strings, or lists
a file that does not exist.

usage: check-potfiles.py SOURCE_ROOT
"""
import os
import re
import sys

root = sys.argv[1]
marked = re.compile(r'\b(?:N_|_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"|translatable="yes"')

with open(os.path.join(root, "po", "POTFILES.in"), encoding="utf-8") as f:
    listed = {line.strip() for line in f if line.strip() and not line.startswith("#")}

problems = []
for path in sorted(listed):
    if not os.path.isfile(os.path.join(root, path)):
        problems.append(f"po/POTFILES.in lists {path}, which does not exist")

data_suffixes = (".desktop.in.in", ".metainfo.xml.in.in", ".gschema.xml.in")
for top in ("src", "data"):
    for directory, _, files in os.walk(os.path.join(root, top)):
        for name in files:
            path = os.path.relpath(os.path.join(directory, name), root)
            if name.endswith(data_suffixes):
                translatable = True
            elif name.endswith((".c", ".ui")):
                with open(os.path.join(root, path), encoding="utf-8", errors="replace") as f:
                    translatable = marked.search(f.read()) is not None
            else:
                continue
            if translatable and path not in listed:
                problems.append(f"{path} has translatable strings but is not in po/POTFILES.in")

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
