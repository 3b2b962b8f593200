"""The text of a PDF as a reader sees it (pypdf): letters embed a TrueType subset, so their
text is glyph ids in the content stream, not plain bytes to grep."""

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
