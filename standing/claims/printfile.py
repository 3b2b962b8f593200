"""The run's merged print file: many one-letter PDFs joined into one, in constant memory.

The letters are PDFs written by ReportLab (uncompressed object headers, direct stream
lengths). Each input is read on its own; its objects are renumbered by a fixed offset and
written out at once; only the offsets of the written objects and the page numbers stay in
memory (a few bytes per object), so 10,000 letters merge like 10. The merged file gets one
page tree (object 1) and one catalog (object 2), written at the end with the xref table.
"""

import re

from django.core.files.storage import default_storage

OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
REF = re.compile(rb"(\d+)\s+0\s+R\b")
LENGTH = re.compile(rb"/Length\s+(\d+)(\s+0\s+R)?")
ROOT, CATALOG, FIRST = 1, 2, 3


class PdfMergeError(ValueError):
    pass


def _objects(data: bytes):
    """(number, head, stream) for every object of ``data`` (stream None when it has none)."""
    pos = 0
    while True:
        match = OBJ.search(data, pos)
        if match is None:
            return
        start = match.end()
        stream_at = data.find(b"stream", start)
        end_at = data.find(b"endobj", start)
        if end_at < 0:
            raise PdfMergeError("object without endobj")
        if 0 <= stream_at < end_at:
            head = data[start:stream_at]
            length = LENGTH.search(head)
            if length is None or length.group(2):
                raise PdfMergeError("stream without a direct /Length")
            body = stream_at + len(b"stream")
            if data[body : body + 2] == b"\r\n":
                body += 2
            elif data[body : body + 1] in (b"\n", b"\r"):
                body += 1
            stream = data[body : body + int(length.group(1))]
            end_at = data.find(b"endobj", body + int(length.group(1)))
            pos = end_at + len(b"endobj")
            yield int(match.group(1)), head, stream
        else:
            pos = end_at + len(b"endobj")
            yield int(match.group(1)), data[start:end_at], None


def _is_page(head):
    return re.search(rb"/Type\s*/Page\b(?!s)", head) is not None


def _skip(head):
    return re.search(rb"/Type\s*/(Catalog|Pages)\b", head) is not None or (
        b"/Producer" in head and b"/Type" not in head
    )


def merge_into(out, pdfs) -> int:
    """Write the merge of ``pdfs`` (an iterable of bytes) to the binary file ``out``; returns
    the number of pages."""
    offsets = {}
    pages = []
    next_number = FIRST
    written = out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    for data in pdfs:
        objects = list(_objects(data))
        if not objects:
            raise PdfMergeError("no objects")
        base = next_number - min(n for n, _h, _s in objects)

        def renumber(match, base=base):
            return b"%d 0 R" % (int(match.group(1)) + base)

        page_order = []
        for number, head, stream in objects:
            if _skip(head):
                continue
            new = number + base
            head = REF.sub(renumber, head)
            if _is_page(head):
                head = re.sub(rb"/Parent\s+\d+\s+0\s+R", b"/Parent %d 0 R" % ROOT, head)
                page_order.append(new)
            offsets[new] = written
            chunk = b"%d 0 obj\n" % new + head.strip() + b"\n"
            if stream is not None:
                chunk += b"stream\n" + stream + b"\nendstream\n"
            chunk += b"endobj\n"
            written += out.write(chunk)
        pages += page_order
        next_number = max(n for n, _h, _s in objects) + base + 1
    for number, body in (
        (ROOT, b"<< /Type /Pages /Count %d /Kids [" % len(pages)),
        (CATALOG, b"<< /Type /Catalog /Pages %d 0 R >>" % ROOT),
    ):
        offsets[number] = written
        if number == ROOT:
            written += out.write(b"%d 0 obj\n" % number + body)
            for page in pages:
                written += out.write(b"%d 0 R " % page)
            written += out.write(b"] >>\nendobj\n")
        else:
            written += out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    size = max(offsets) + 1
    xref_at = written
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        if number in offsets:
            out.write(b"%010d 00000 n \n" % offsets[number])
        else:
            out.write(b"0000000000 65535 f \n")
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, CATALOG, xref_at)
    )
    return len(pages)


def read_stored(names):
    """The bytes of each stored PDF in turn (one in memory at a time)."""
    for name in names:
        if name:
            with default_storage.open(name, "rb") as fh:
                yield fh.read()
