"""The text of a PDF as a reader sees it (pypdf): letters embed a TrueType subset, so their
text is glyph ids in the content stream, not plain bytes to grep."""

import re
from io import BytesIO

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    """All pages' text, lines joined by newlines."""
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_content(pdf: bytes) -> str:
    """The pages' drawing operators (the inflated content streams), for counting shapes."""
    reader = PdfReader(BytesIO(pdf))
    return "\n".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)


def qr_matrices(pdf: bytes) -> list[tuple[bytes, ...]]:
    """The QR codes drawn on the pages (``core.letters``: integer rectangles in module units
    after their own transformation), each as rows of bytes, 1 = dark, without quiet zone."""
    codes = []
    content = pdf_content(pdf)
    for block in re.findall(r" cm\n((?:\d+ \d+ \d+ \d+ re\n)+)f\n", content):
        rects = [tuple(map(int, line.split()[:4])) for line in block.splitlines()]
        size = max(x + w for x, _y, w, _h in rects)
        rows = [bytearray(size) for _ in range(size)]
        for x, y, w, h in rects:
            for row in rows[y : y + h]:
                assert not any(row[x : x + w]), "rectangles overlap"
                row[x : x + w] = b"\x01" * w
        codes.append(tuple(bytes(row) for row in rows))
    return codes
