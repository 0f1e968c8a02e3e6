#!/usr/bin/env python3
"""Installs the build into a temporary DESTDIR and checks that every file lands where
the desktop expects it.

usage: check-install.py BUILD_ROOT PREFIX APP_ID LINGUAS_FILE
"""
import os
import subprocess
import sys
import tempfile

build_root, prefix, app_id, linguas_path = sys.argv[1:5]
prefix = prefix.lstrip("/")

with open(linguas_path, encoding="utf-8") as f:
    languages = [w for line in f for w in line.split("#")[0].split()]

expected = [
    "bin/herald",
    "bin/herald-cli",
    "bin/herald-relay",
    "bin/herald-sim",
    f"share/applications/{app_id}.desktop",
    f"share/metainfo/{app_id}.metainfo.xml",
    f"share/glib-2.0/schemas/{app_id}.gschema.xml",
    f"share/icons/hicolor/scalable/apps/{app_id}.svg",
    f"share/icons/hicolor/symbolic/apps/{app_id}-symbolic.svg",
    "share/man/man1/herald-cli.1",
    "share/man/man1/herald-relay.1",
    "lib/systemd/system/herald-relay.service",
] + [f"share/locale/{lang}/LC_MESSAGES/herald.mo" for lang in languages]

with tempfile.TemporaryDirectory() as destdir:
    run = subprocess.run(["meson", "install", "-C", build_root, "--no-rebuild", "--quiet",
                          "--destdir", destdir], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"meson install failed:\n{run.stdout}\n{run.stderr}")
    installed = sorted(os.path.relpath(os.path.join(d, f), os.path.join(destdir, prefix))
                       for d, _, files in os.walk(destdir) for f in files)
    print("\n".join(installed))
    missing = [path for path in expected if path not in installed]
    for path in missing:
        print(f"missing: {path}", file=sys.stderr)
    sys.exit(1 if missing else 0)
