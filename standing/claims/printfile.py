"""The run's merged print file: many one-letter PDFs joined into one, in constant memory.

The letters are PDFs written by ReportLab (uncompressed object headers, direct stream
lengths). Each input is read on its own; its objects are renumbered by a fixed offset and
written out at once; the cross-reference entries and the page list are spooled to temporary
files, so 10,000 letters merge in the memory of one. The merged file gets one page tree
(object 1) and one catalog (object 2), written at the end with the xref table.
"""

import hashlib
import re
import tempfile

from django.core.files.storage import default_storage

OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
REF = re.compile(rb"(\d+)\s+0\s+R\b")
LENGTH = re.compile(rb"/Length\s+(\d+)(\s+0\s+R)?")
ROOT, CATALOG, FIRST = 1, 2, 3
SHARED_FONTS = 64


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


def _copy(src, out):
    src.seek(0)
    written = 0
    while chunk := src.read(1 << 16):
        written += out.write(chunk)
    return written


def merge_into(out, pdfs) -> int:
    """Write the merge of ``pdfs`` (an iterable of bytes) to the binary file ``out``; returns
    the number of pages. The page list and the cross-reference entries are spooled to
    temporary files as they are made, so memory does not grow with the number of letters."""
    with tempfile.TemporaryFile() as xref, tempfile.TemporaryFile() as kids:
        pages = 0
        expected = FIRST  # the next object number the cross-reference table lists
        written = out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        # Embedded font programs that an earlier letter carried already (the letters' font
        # subsets are mostly the same): written once, referenced by the later letters. At most
        # SHARED_FONTS are remembered, so memory stays bounded.
        fonts: dict[bytes, int] = {}
        for data in pdfs:
            objects = list(_objects(data))
            if not objects:
                raise PdfMergeError("no objects")
            base = expected - min(n for n, _h, _s in objects)
            same = {}
            for number, head, stream in objects:
                if stream is not None and b"/Length1" in head:
                    digest = hashlib.sha1(head + stream).digest()
                    if digest in fonts:
                        same[number] = fonts[digest]
                    elif len(fonts) < SHARED_FONTS:
                        fonts[digest] = number + base

            def renumber(match, base=base, same=same):
                number = int(match.group(1))
                return b"%d 0 R" % same.get(number, number + base)

            for number, head, stream in sorted(objects, key=lambda o: o[0]):
                new = number + base
                if _skip(head) or number in same:
                    continue
                head = REF.sub(renumber, head)
                if _is_page(head):
                    head = re.sub(rb"/Parent\s+\d+\s+0\s+R", b"/Parent %d 0 R" % ROOT, head)
                    kids.write(b"%d 0 R " % new)
                    pages += 1
                # Objects skipped above (this PDF's catalog and page tree) are free entries.
                xref.write(b"0000000000 65535 f \n" * (new - expected))
                xref.write(b"%010d 00000 n \n" % written)
                expected = new + 1
                chunk = b"%d 0 obj\n" % new + head.strip() + b"\n"
                if stream is not None:
                    chunk += b"stream\n" + stream + b"\nendstream\n"
                chunk += b"endobj\n"
                written += out.write(chunk)
            top = max(n for n, _h, _s in objects) + base + 1
            xref.write(b"0000000000 65535 f \n" * (top - expected))
            expected = top
        root_at = written
        written += out.write(b"%d 0 obj\n<< /Type /Pages /Count %d /Kids [" % (ROOT, pages))
        written += _copy(kids, out)
        written += out.write(b"] >>\nendobj\n")
        catalog_at = written
        written += out.write(
            b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj\n" % (CATALOG, ROOT)
        )
        out.write(b"xref\n0 3\n0000000000 65535 f \n")
        out.write(b"%010d 00000 n \n%010d 00000 n \n" % (root_at, catalog_at))
        out.write(b"3 %d\n" % (expected - FIRST))
        _copy(xref, out)
        out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (expected, CATALOG))
        out.write(b"startxref\n%d\n%%%%EOF\n" % written)
        return pages


def read_stored(names):
    """The bytes of each stored PDF in turn (one in memory at a time)."""
    for name in names:
        if name:
            with default_storage.open(name, "rb") as fh:
                yield fh.read()
