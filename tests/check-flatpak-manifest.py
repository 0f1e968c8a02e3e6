#!/usr/bin/env python3
"""Checks the Flatpak manifest: it parses (with flatpak-builder when present), asks for
the least permissions that work, and its module builds this very source tree with meson.

usage: check-flatpak-manifest.py MANIFEST SOURCE_ROOT
"""
import json
import os
import shutil
import subprocess
import sys

manifest_path, source_root = sys.argv[1], sys.argv[2]
problems = []

if shutil.which("flatpak-builder"):
    shown = subprocess.run(["flatpak-builder", "--show-manifest", manifest_path],
                           capture_output=True, text=True)
    if shown.returncode != 0:
        sys.exit(f"flatpak-builder cannot parse {manifest_path}: {shown.stderr.strip()}")

with open(manifest_path, encoding="utf-8") as f:
    manifest = json.load(f)

if manifest.get("id") != "io.github.herald.Herald":
    problems.append(f"id is {manifest.get('id')!r}")
if manifest.get("command") != "herald":
    problems.append(f"command is {manifest.get('command')!r}")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("sdk") != "org.gnome.Sdk":
    problems.append("runtime and sdk must be GNOME's")

args = manifest.get("finish-args", [])
wanted = {"--share=network", "--socket=wayland", "--socket=fallback-x11", "--device=dri"}
for arg in sorted(wanted - set(args)):
    problems.append(f"finish-args lacks {arg}")
allowed = wanted | {"--share=ipc"}
for arg in args:
    if arg not in allowed:
        # Files come through the portal and secrets through libsecret's portal support.
        problems.append(f"finish-args asks for more than needed: {arg}")

modules = [m for m in manifest.get("modules", []) if isinstance(m, dict)]
herald = [m for m in modules if m.get("name") == "herald"]
if len(herald) != 1:
    problems.append("there must be exactly one module named herald")
else:
    module = herald[0]
    if module.get("buildsystem") != "meson":
        problems.append("the herald module must build with meson")
    sources = module.get("sources", [])
    dirs = [s for s in sources if s.get("type") == "dir"]
    if len(dirs) != 1:
        problems.append("the herald module must build one local directory")
    else:
        path = os.path.join(os.path.dirname(os.path.abspath(manifest_path)), dirs[0]["path"])
        if os.path.realpath(path) != os.path.realpath(source_root):
            problems.append(f"the herald module builds {path}, not this source tree")

for problem in problems:
    print(problem, file=sys.stderr)
sys.exit(1 if problems else 0)
