"""Fill empty msgstr entries of a .po file from a JSON dict {msgid: msgstr}.

Usage: python scripts/po_fill.py standing/locale/de/LC_MESSAGES/django.po translations.json
Keeps existing translations; prints the msgids still untranslated.
"""

import json
import re
import sys


def main(po_path, dict_path):
    with open(dict_path, encoding="utf-8") as fh:
        table = json.load(fh)
    with open(po_path, encoding="utf-8") as fh:
        text = fh.read()
    entries = text.split("\n\n")
    missing = []
    for i, entry in enumerate(entries):
        m = re.search(r'^msgid "(.*)"\nmsgstr ""$', entry, re.M)
        if not m or m.group(1) == "":
            continue
        msgid = m.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        if msgid in table:
            value = table[msgid].replace("\\", "\\\\").replace('"', '\\"')
            entry = entry.replace(m.group(0), f'msgid "{m.group(1)}"\nmsgstr "{value}"')
            entries[i] = entry.replace("#, fuzzy\n", "")
        else:
            missing.append(msgid)
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(entries))
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
