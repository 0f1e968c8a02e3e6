#!/usr/bin/env python3
"""Prints "N passed, N failed" from meson testlog.json files (JSON Lines).

A missing log counts as a failure, and so does a run in which nothing passed.
"""
import json
import sys

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as log:
            lines = [line for line in log if line.strip()]
    except OSError:
        failed += 1
        continue
    for line in lines:
        result = json.loads(line)["result"]
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not passed else 0)
