"""Fill a .po file (made with ``makemessages --no-wrap``) from a JSON dict {msgid: msgstr}.

Usage: python scripts/po_fill.py standing/locale/de/LC_MESSAGES/django.po de.json [more.json]
Empty and fuzzy entries are filled from the dicts (and lose the fuzzy flag); existing
translations stay. Prints the msgids still untranslated or fuzzy.
"""

import json
import re
import sys


def unescape(text):
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def main(po_path, *dict_paths):
    table = {}
    for path in dict_paths:
        with open(path, encoding="utf-8") as fh:
            table.update(json.load(fh))
    with open(po_path, encoding="utf-8") as fh:
        entries = fh.read().split("\n\n")
    todo = []
    for i, entry in enumerate(entries):
        m = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"(?:\n|$))+)', entry, re.M)
        if not m:
            continue
        raw_id = "".join(re.findall(r'^"(.*)"$', m.group(1), re.M))
        raw_str = "".join(re.findall(r'^"(.*)"$', m.group(2), re.M))
        if raw_id == "":
            continue
        fuzzy = re.search(r"^#, .*fuzzy", entry, re.M)
        if raw_str and not fuzzy:
            continue
        msgid = unescape(raw_id)
        if msgid in table:
            entry = entry.replace(
                m.group(0), f'msgid "{raw_id}"\nmsgstr "{escape(table[msgid])}"\n'
            ).rstrip("\n")
            entry = re.sub(r"^#, fuzzy\n", "", entry, flags=re.M)
            entry = re.sub(r"^#, fuzzy, ", "#, ", entry, flags=re.M)
            entry = re.sub(r"^(#,.*?), fuzzy", r"\1", entry, flags=re.M)
            entry = re.sub(r"^#\| msgid .*\n", "", entry, flags=re.M)
            entries[i] = entry
        else:
            todo.append(msgid)
    with open(po_path, "w", encoding="utf-8") as fh:
        fh.write("\n\n".join(entries))
    for msgid in todo:
        print("untranslated:", json.dumps(msgid, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
