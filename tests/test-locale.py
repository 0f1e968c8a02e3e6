#!/usr/bin/env python3
"""herald-cli follows the locale: under Spanish, Brazilian Portuguese and Hindi it prints its
user errors from the built catalogs (HERALD_LOCALEDIR points it at the build tree).

usage: test-locale.py HERALD_CLI PO_SOURCE_DIR LOCALEDIR
"""
import os
import re
import subprocess
import sys
import tempfile

herald_cli, po_dir, localedir = sys.argv[1:4]

# A real locale when the system has one; else C.UTF-8 with LANGUAGE, which glibc honours
# (it ignores LANGUAGE only under the plain C locale).
LANGUAGES = {"es": "es_ES.UTF-8", "pt_BR": "pt_BR.UTF-8", "hi": "hi_IN.UTF-8"}


def po_unescape(s):
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def catalog(lang):
    """msgid → msgstr of the translated, non-fuzzy singular messages of po/LANG.po."""
    with open(os.path.join(po_dir, f"{lang}.po"), encoding="utf-8") as f:
        text = f.read()
    messages = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block or "msgid_plural" in block or "msgctxt" in block:
            continue
        fields, key = {}, None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgstr) "(.*)"$', line)
            if m:
                key = m.group(1)
                fields[key] = m.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]
        if fields.get("msgid") and fields.get("msgstr"):
            messages[po_unescape(fields["msgid"])] = po_unescape(fields["msgstr"])
    return messages


def installed_locales():
    run = subprocess.run(["locale", "-a"], capture_output=True, text=True)
    return {l.lower().replace("-", "") for l in run.stdout.split()}


def run_cli(args, lang=None, locale_name=None):
    env = {k: v for k, v in os.environ.items()
           if not (k.startswith("LC_") or k in ("LANG", "LANGUAGE"))}
    env["HERALD_LOCALEDIR"] = localedir
    if locale_name is not None:
        env["LANG"] = locale_name
    elif lang is not None:
        env.update(LANG="C.UTF-8", LANGUAGE=lang)
    else:
        env["LANG"] = "C.UTF-8"
    run = subprocess.run([herald_cli] + args, capture_output=True, env=env)
    return run.returncode, run.stderr.decode("utf-8")


failures = 0
available = installed_locales()
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "herald.db")
    # (arguments, message, its %s argument): a user error each, in the CLI and in its shared code.
    cases = [
        (["campaign", "show", "--db", db, "notanid"], "“%s” is not a campaign id", "notanid"),
        (["no-such-group"],
         "herald-cli: unknown command group “%s”\n"
         "Usage: herald-cli GROUP COMMAND [OPTION…] (see “herald-cli --help”)\n", "no-such-group"),
    ]
    for lang, locale_name in LANGUAGES.items():
        messages = catalog(lang)
        use_locale = locale_name if locale_name.lower().replace("-", "") in available else None
        how = f"LANG={use_locale}" if use_locale else f"LANG=C.UTF-8 LANGUAGE={lang}"
        for args, msgid, arg in cases:
            english = msgid.replace("%s", arg)
            rc_c, out_c = run_cli(args)
            rc, out = run_cli(args, lang, use_locale)
            translation = messages.get(msgid)
            if translation is None or translation == msgid:
                print(f"not ok - {lang}: po/{lang}.po has no translation of {msgid!r}")
                failures += 1
                continue
            expected = translation.replace("%s", arg)
            ok = english in out_c and expected in out and english not in out and rc == rc_c != 0
            print(f"{'ok' if ok else 'not ok'} - {lang} ({how}) herald-cli {' '.join(args[:2])}: "
                  f"exit {rc}, {out.splitlines()[0] if out else '(no output)'}")
            if not ok:
                print(f"#   C output (exit {rc_c}): {out_c!r}\n#   {lang} output: {out!r}\n"
                      f"#   expected to contain: {expected!r}")
                failures += 1

sys.exit(1 if failures else 0)
