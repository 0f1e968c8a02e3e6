#!/usr/bin/env python3
"""Fails when a catalog in po/LINGUAS is missing, does not pass `msgfmt --check`, or has a
message that is untranslated or fuzzy.

usage: check-translations.py MSGFMT PO_DIR
"""
import os
import re
import subprocess
import sys

msgfmt, po_dir = sys.argv[1], sys.argv[2]

with open(os.path.join(po_dir, "LINGUAS"), encoding="utf-8") as f:
    languages = [w for line in f for w in line.split("#")[0].split()]

# msgfmt prints e.g. "950 translated messages, 3 fuzzy translations, 5 untranslated messages."
counts = re.compile(r"(\d+) (translated|fuzzy|untranslated)")

problems = []
if not languages:
    problems.append("po/LINGUAS lists no language")
for lang in languages:
    po = os.path.join(po_dir, f"{lang}.po")
    if not os.path.isfile(po):
        problems.append(f"{lang}: {po} does not exist")
        continue
    run = subprocess.run([msgfmt, "--check", "--statistics", "-o", os.devnull, po],
                         capture_output=True, text=True,
                         env=dict(os.environ, LC_ALL="C", LANGUAGE=""))
    print(f"{lang}: {run.stderr.strip()}")
    if run.returncode != 0:
        problems.append(f"{lang}: msgfmt --check failed")
        continue
    found = {kind: int(n) for n, kind in counts.findall(run.stderr)}
    if found.get("translated", 0) == 0:
        problems.append(f"{lang}: no translated message")
    for kind in ("fuzzy", "untranslated"):
        if found.get(kind, 0):
            problems.append(f"{lang}: {found[kind]} {kind} messages (run `meson compile herald-update-po` and translate them)")

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
