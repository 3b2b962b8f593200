"""Fill a .po file (made with ``makemessages --no-wrap``) from a JSON dict {msgid: msgstr}.

Usage: python scripts/po_fill.py standing/locale/de/LC_MESSAGES/django.po de.json [more.json]
Empty and fuzzy entries are filled from the dicts (and lose the fuzzy flag); existing
translations stay. A plural entry is filled from a list [singular, plural]. Prints the msgids
still untranslated or fuzzy.
"""

import json
import re
import sys


def unescape(text):
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape")


def escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def fill_plural(entry, table):
    """A plural entry (``msgid_plural``), filled from a list [singular, plural] in the table:
    the filled entry, "" when it stays as it is, None when the entry is not a plural one."""
    m = re.search(
        r'^msgid "(.*)"\nmsgid_plural "(.*)"\nmsgstr\[0\] "(.*)"\nmsgstr\[1\] "(.*)"', entry, re.M
    )
    if not m:
        return None
    fuzzy = re.search(r"^#, .*fuzzy", entry, re.M)
    forms = table.get(unescape(m.group(1)))
    if (m.group(3) and not fuzzy) or not isinstance(forms, list):
        return ""
    filled = (
        f'msgid "{m.group(1)}"\nmsgid_plural "{m.group(2)}"\n'
        f'msgstr[0] "{escape(forms[0])}"\nmsgstr[1] "{escape(forms[1])}"'
    )
    entry = entry.replace(m.group(0), filled)
    entry = re.sub(r"^#, fuzzy\n", "", entry, flags=re.M)
    entry = re.sub(r"^#, fuzzy, ", "#, ", entry, flags=re.M)
    return re.sub(r"^(#,.*?), fuzzy", r"\1", entry, flags=re.M)


def main(po_path, *dict_paths):
    table = {}
    for path in dict_paths:
        with open(path, encoding="utf-8") as fh:
            table.update(json.load(fh))
    with open(po_path, encoding="utf-8") as fh:
        entries = fh.read().split("\n\n")
    todo = []
    for i, entry in enumerate(entries):
        plural = fill_plural(entry, table)
        if plural is not None:
            if plural:
                entries[i] = plural
            continue
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
