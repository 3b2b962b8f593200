"""The one business letter: DIN 5008 form B as PDF, with ReportLab.

A module, not an app: it has no models, views or templates, only layout, and it sits in the
lowest layer so that billing (invoices and receipts) and claims (dunning letters) both use it
without depending on each other.

What a letter *says* belongs to the app that sends it (billing knows what a deposit receipt
confirms, claims what a reminder demands). This module only knows the form:

- the **creditor** (who writes, whose bank account and registry data the footer carries) is a
  parameter: the operator (``Creditor.operator()``, from ``settings.COMPANY``) or, on a
  marketplace, the vendor;
- the **sender line** above the address window, the **address window** with the recipient,
  the **information block** (label/value rows at the right), the optional **reference line**
  ("Ihr Zeichen / Unser Zeichen …" across the page), the bold **subject**;
- the **body**: a list of blocks – ``Text``, ``Items`` (a table), ``Totals``, ``Image``,
  ``QRCode`` (any payload; ``girocode()`` makes the EPC "GiroCode" for a bank transfer),
  ``Row`` (blocks side by side, e.g. a link QR code next to the GiroCode), ``Space`` and
  ``Closing``;
- the **footer** with address, bank and registry data of the creditor, and page numbers.

Form B geometry on A4: the address field sits 45 mm from the top and 20 mm from the left,
85 × 45 mm, with the sender's return line in its top zone; the information block starts
125 mm from the left and 50 mm from the top; the reference line sits at 98.5 mm; the text
begins below with a 25 mm left margin. Fold marks at 105 and 210 mm, the hole mark at 148.5 mm.
"""

import functools
import re
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    makeToUnicodeCMap,
)
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus import Image as RLImage
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable

from . import qr
from .formats import iban_display, phone_display
from .money import format_money

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 25 * mm, 20 * mm
WIDTH = PAGE_W - LEFT - RIGHT
FOOTER_H = 28 * mm
# DejaVu Sans, embedded (as a subset) in every letter: Helvetica, a standard PDF font, knows
# only Latin-1, and "Ayşe Łukasz" would print with holes. The TTF files are vendored with their
# license (standing/core/fonts/), so letters look the same on every machine.
FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"


# Characters every letter's font subset carries, in this order, after ASCII: with them seeded
# first, the subset of almost every letter is the same, so its TrueType subset is made and
# compressed once per process (a name with a rarer letter adds it at the end).
SEED = "äöüÄÖÜß€§·–—„“”‚‘’«»°²³µ×éèêëàáâçñóòôúùûíìîïÁÀÉÈÓÚÇÑ"


class _Formatted(pdfdoc.PDFObject):
    """A PDF value formatted once (a subset's widths array)."""

    def __init__(self, data: bytes):
        self.data = data

    def format(self, document):
        return self.data


class _LetterFont(TTFont):
    """DejaVu Sans with its subsets cached: the embedded font program (made and
    Flate-compressed) is kept per distinct subset, up to a few hundred of them."""

    CACHE_SIZE = 256

    def __init__(self, name, path):
        super().__init__(name, path)
        self._programs = {}
        face = self.face

        def add_subset_objects(doc, fontname, subset):
            key = tuple(subset)
            program = self._programs.get(key)
            if program is None:
                raw = face.makeSubset(subset)
                program = (zlib.compress(raw), len(raw))
                if len(self._programs) >= self.CACHE_SIZE:
                    self._programs.clear()
                self._programs[key] = program
            stream = pdfdoc.PDFStream(content=program[0])
            stream.dictionary["Length1"] = program[1]
            stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
            ref = doc.Reference(stream, f"fontFile:{face.filename}({fontname})")
            descriptor = pdfdoc.PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(fontname),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": ref,
                    "MissingWidth": face.defaultWidth,
                }
            )
            return doc.Reference(descriptor, "fontDescriptor:" + fontname)

        face.addSubsetObjects = add_subset_objects

    def addObjects(self, doc):  # noqa: N802  (ReportLab's name)
        """ReportLab's ``TTFont.addObjects`` with the widths array and the ToUnicode map of a
        subset formatted and compressed once per distinct subset, not once per letter."""
        state = self.state.get(doc) or self.state.setdefault(doc, TTFont.State(self._asciiReadable))
        state.frozen = 1
        face = self.face
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
            key = ("objects", base, tuple(subset))
            parts = self._programs.get(key)
            if parts is None:
                widths = pdfdoc.PDFArray([face.getCharWidth(c) for c in subset])
                cmap = zlib.compress(makeToUnicodeCMap(base, subset).encode("latin-1"))
                parts = (widths.format(doc), cmap)
                self._programs[key] = parts
            font = pdfdoc.PDFTrueTypeFont()
            font.Name = internal
            font.BaseFont = base
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = _Formatted(parts[0])
            cmap = pdfdoc.PDFStream(content=parts[1])
            cmap.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base)
            font.FontDescriptor = face.addSubsetObjects(doc, base, subset)
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]

    def seed(self, doc):
        """Give the common characters their codes first (see SEED)."""
        self.splitString(SEED, doc)


@functools.cache
def register_fonts() -> None:
    """Register the letter fonts with ReportLab, once per process (parsing a TTF costs more
    than rendering a letter)."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping

    # Binary (Flate only) page streams: ASCII85 on top makes them a quarter larger and costs
    # more time than the rest of the page.
    rl_config.useA85 = 0
    pdfmetrics.registerFont(_LetterFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(_LetterFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    for bold, italic, name in ((0, 0, FONT), (1, 0, BOLD), (0, 1, FONT), (1, 1, BOLD)):
        addMapping(FONT, bold, italic, name)


BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
BODY_BOLD = ParagraphStyle("body_bold", parent=BODY, fontName=BOLD)
SUBJECT = ParagraphStyle("subject", parent=BODY, fontName=BOLD, fontSize=11, spaceAfter=8)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9.5, leading=12)
CELL_R = ParagraphStyle("cell_r", parent=CELL, alignment=TA_RIGHT)
CAPTION = ParagraphStyle("caption", parent=BODY, fontSize=7.5, leading=9)


# --- who writes -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Creditor:
    """Who writes the letter and is owed: name, address, contact, bank and registry data."""

    name: str
    street: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    bank: str = ""
    iban: str = ""
    bic: str = ""
    register: str = ""
    vat_id: str = ""
    managing_directors: str = ""

    @classmethod
    def operator(cls) -> "Creditor":
        """The operator of Standing, from ``settings.COMPANY``."""
        known = cls.__dataclass_fields__
        return cls(**{k: v or "" for k, v in settings.COMPANY.items() if k in known})

    @property
    def place(self) -> str:
        return f"{self.postal_code} {self.city}".strip()

    @property
    def sender_line(self) -> str:
        """The return line above the address window."""
        return " · ".join(part for part in (self.name, self.street, self.place) if part)

    def footer_columns(self) -> list[list[str]]:
        address = [self.name, self.street, self.place, self.website]
        bank = [
            self.bank,
            self.iban and f"IBAN {iban_display(self.iban)}",
            self.bic and f"BIC {self.bic}",
        ]
        registry = [
            self.register,
            # Not f-strings: xgettext does not look inside them.
            self.vat_id and _("VAT ID %(id)s") % {"id": self.vat_id},
            self.managing_directors
            and _("Managing directors: %(names)s") % {"names": self.managing_directors},
        ]
        return [[line for line in column if line] for column in (address, bank, registry)]


# --- body blocks ----------------------------------------------------------------------------
class _Lines(Flowable):
    """Plain text in one style, broken at spaces into lines as wide as the frame: what a
    ReportLab ``Paragraph`` makes of text without markup (same first baseline, leading and
    spacing), without running its markup parser for every paragraph of every letter. The
    text is never markup, so nothing needs escaping."""

    def __init__(self, text, style, lines=None):
        super().__init__()
        self.text = " ".join(str(text).split())  # whitespace collapses, as in a Paragraph
        self.style = style
        self.lines = lines
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter

    def wrap(self, avail_width, avail_height):
        if self.lines is None or avail_width != getattr(self, "_wrapped_at", None):
            style = self.style
            self.lines = simpleSplit(self.text, style.fontName, style.fontSize, avail_width)
            self._wrapped_at = avail_width
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.style.leading)
        if fit <= 0:
            return []
        if fit >= len(self.lines):
            return [self]
        head = _Lines(" ".join(self.lines[:fit]), self.style, self.lines[:fit])
        tail = _Lines(" ".join(self.lines[fit:]), self.style, self.lines[fit:])
        head._wrapped_at = tail._wrapped_at = avail_width
        head.spaceAfter = tail.spaceBefore = 0
        return [head, tail]

    def draw(self):
        style = self.style
        canvas = self.canv
        text = canvas.beginText()
        text.setFont(style.fontName, style.fontSize, style.leading)
        canvas.setFillColor(style.textColor)
        y = self.height - style.fontSize
        for line in self.lines:
            if style.alignment == TA_RIGHT:
                x = self.width - pdfmetrics.stringWidth(line, style.fontName, style.fontSize)
            else:
                x = 0
            text.setTextOrigin(x, y)
            text.textOut(line)
            y -= style.leading
        canvas.drawText(text)


@dataclass
class Text:
    """A paragraph of plain text (escaped: names and descriptions are never markup)."""

    text: str
    bold: bool = False
    small: bool = False  # a note in caption size (e.g. what an asterisk means)

    def flowables(self, letter):
        style = CAPTION if self.small else BODY_BOLD if self.bold else BODY
        return [_Lines(self.text, style)]


@dataclass
class Space:
    height_mm: float = 4

    def flowables(self, letter):
        return [RLSpacer(1, self.height_mm * mm)]


@dataclass
class Items:
    """A table with a header row; ``align`` per column, "L" or "R"; widths in mm (the first
    ``None`` width takes what is left)."""

    header: list
    rows: list
    widths_mm: list = field(default_factory=list)
    align: str = ""

    def flowables(self, letter):
        n = len(self.header)
        align = (self.align or "L" * n).ljust(n, "L")

        def cell(value, i):
            return Paragraph(escape(str(value)), CELL_R if align[i] == "R" else CELL)

        data = [[cell(h, i) for i, h in enumerate(self.header)]]
        data += [[cell(v, i) for i, v in enumerate(row)] for row in self.rows]
        widths = None
        if self.widths_mm:
            fixed = sum(w for w in self.widths_mm if w) * mm
            widths = [w * mm if w else WIDTH - fixed for w in self.widths_mm]
        table = RLTable(data, colWidths=widths, repeatRows=1)
        table.setStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 0.3, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        return [table]


@dataclass
class Totals:
    """Label/amount rows at the right; amounts (Decimal) in the letter's money format; the
    last row bold above a rule."""

    rows: list  # [(label, Decimal | str)]
    currency: str = "EUR"

    def flowables(self, letter):
        data = [[str(label), letter.money(value, self.currency)] for label, value in self.rows]
        # The label column grows with its longest label (a table does not wrap plain text).
        longest = max((pdfmetrics.stringWidth(row[0], BOLD, 10) for row in data), default=0)
        label_width = min(max(50 * mm, longest + 8), WIDTH - 28 * mm)
        table = RLTable(data, colWidths=[label_width, 28 * mm], hAlign="RIGHT")
        table.setStyle(
            [
                ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTNAME", (0, -1), (-1, -1), BOLD),
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
            ]
        )
        return [table]


class _QRFlowable(Flowable):
    """A QR code drawn as vector rectangles (sharp at any print resolution, no image library):
    each horizontal run of dark modules is a rectangle, and a run repeated in the rows below
    grows that rectangle downwards; written as PDF operators in module units under one
    scaling, so a code costs a few hundred short integer operators rather than thousands of
    formatted floats."""

    def __init__(self, qr, size):
        super().__init__()
        self.qr, self.size = qr, size
        self.width = self.height = size

    def draw(self):
        matrix = self.qr.matrix
        quiet = 4  # the quiet zone the standard asks for, in modules
        module = self.size / (len(matrix) + 2 * quiet)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.black)
        # Origin at the top left of the symbol, one unit per module, rows going down.
        canvas.transform(module, 0, 0, -module, quiet * module, self.size - quiet * module)
        canvas._code.append(" re\n".join(_qr_rects(matrix)) + " re\nf")
        canvas.restoreState()


_DARK_RUN = re.compile(rb"\x01+")


def _qr_rects(matrix) -> list[str]:
    """``"x y w h"`` of rectangles that together cover exactly the dark modules of
    ``matrix`` (rows of bytes, 1 = dark): the runs of a row, each merged with the same run
    in the rows right below it."""
    rects = []
    above = {}  # (start, end) of a run in the row above → the row its rectangle began
    for r, row in enumerate(matrix):
        here = {}
        for run in _DARK_RUN.finditer(row):
            span = run.span()
            here[span] = above.pop(span, r)
        for (start, end), top in above.items():  # runs that stopped: their rectangles end
            rects.append(f"{start} {top} {end - start} {r - top}")
        above = here
    for (start, end), top in above.items():
        rects.append(f"{start} {top} {end - start} {len(matrix) - top}")
    return rects


@dataclass
class QRCode:
    """A QR code of ``payload`` (a URL, an EPC GiroCode …) with an optional caption below.
    ``error``: the error correction level, exactly as asked (the EPC standard prescribes M).
    ``mask``: a fixed mask pattern (0–7; any is valid, and choosing the best of the eight
    costs more than drawing the page) or ``None`` to let segno choose."""

    payload: str | bytes
    size_mm: float = 32
    caption: str = ""
    error: str = "m"
    mask: int | None = None

    def code(self) -> qr.Symbol:
        """The symbol (``matrix``, ``version``, ``error``, ``mask``); never a micro code."""
        return qr.make(self.payload, self.error, self.mask)

    def flowables(self, letter):
        parts = [_QRFlowable(self.code(), self.size_mm * mm)]
        if self.caption:
            parts.append(_Lines(self.caption, CAPTION))
        return parts


@dataclass
class Image:
    """An image (PNG or JPEG bytes: a logo, a signature) ``width_mm`` wide."""

    data: bytes
    width_mm: float
    height_mm: float | None = None
    caption: str = ""

    def flowables(self, letter):
        from reportlab.lib.utils import ImageReader

        reader = ImageReader(BytesIO(self.data))
        w, h = reader.getSize()
        width = self.width_mm * mm
        height = self.height_mm * mm if self.height_mm else width * h / w
        parts = [RLImage(BytesIO(self.data), width=width, height=height)]
        if self.caption:
            parts.append(_Lines(self.caption, CAPTION))
        return parts


@dataclass
class Row:
    """Blocks side by side in equal columns (e.g. a payment-page QR code next to a GiroCode)."""

    blocks: list

    def flowables(self, letter):
        cells = [[block.flowables(letter) for block in self.blocks]]
        table = RLTable(cells, colWidths=[WIDTH / max(len(self.blocks), 1)] * len(self.blocks))
        table.setStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
        return [table]


@dataclass
class Closing:
    """The complimentary close and who signs."""

    greeting: str
    signature: str

    def flowables(self, letter):
        return [
            RLSpacer(1, 6 * mm),
            _Lines(self.greeting, BODY),
            _Lines(self.signature, BODY),
        ]


def epc_payload(creditor: Creditor, amount: Decimal, text: str) -> bytes:
    """The EPC069-12 payload (version 002, UTF-8) of a SEPA credit transfer to ``creditor``."""
    iban = creditor.iban.replace(" ", "").upper()
    bic = creditor.bic.replace(" ", "").upper()
    amount = Decimal(amount)
    text = " ".join(str(text).split())[:140]
    if not 5 <= len(iban) <= 34:
        raise ValueError("The creditor has no IBAN for a GiroCode.")
    if bic and len(bic) not in (8, 11):
        raise ValueError("The creditor's BIC has neither 8 nor 11 characters.")
    if not Decimal("0.01") <= amount <= Decimal("999999999.99"):
        raise ValueError("A GiroCode carries an amount from 0.01 to 999999999.99 euros.")
    lines = ["BCD", "002", "1", "SCT", bic, creditor.name[:70], iban, f"EUR{amount:.2f}"]
    lines += ["", "", text]  # purpose, structured reference (none), remittance text
    return "\n".join(lines).encode("utf-8")


def girocode(creditor: Creditor, amount: Decimal, text: str, *, size_mm=32, caption="", mask=None):
    """The EPC QR code ("GiroCode") a banking app reads to prefill a SEPA transfer to
    ``creditor`` of ``amount`` with ``text`` as the remittance information (max. 140)."""
    return QRCode(epc_payload(creditor, amount, text), size_mm=size_mm, caption=caption, mask=mask)


# --- the letter -----------------------------------------------------------------------------
@dataclass
class Letter:
    """A DIN 5008 form B letter. ``language`` is the letter's language: its fixed labels and
    amounts are written in it (German unless the recipient reads English)."""

    creditor: Creditor
    recipient: list  # the address window's lines
    subject: str
    body: list  # blocks
    info: list = field(default_factory=list)  # [(label, value)] at the right
    reference: list = field(default_factory=list)  # [(label, value)] across the page
    language: str = "de"

    def money(self, amount, currency="EUR") -> str:
        if isinstance(amount, str):
            return amount
        text = format_money(amount, self.language)
        return text if currency == "EUR" else text.replace("€", currency)


def render(letter: Letter) -> bytes:
    """The letter as PDF bytes."""
    register_fonts()
    with translation.override(letter.language):
        return _render(letter)


def _render(letter):
    buffer = BytesIO()
    # No frame padding: the text starts exactly at the 25 mm margin, like the address.
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    bottom = FOOTER_H + 4 * mm
    top = 107 * mm if letter.reference else 103.4 * mm
    first = Frame(LEFT, bottom, WIDTH, PAGE_H - top - bottom, id="f1", **pad)
    later = Frame(LEFT, bottom, WIDTH, PAGE_H - 20 * mm - bottom, id="f2", **pad)
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=letter.subject,
        author=letter.creditor.name,
        # Compressed: the embedded font subset would otherwise make a letter ~80 kB (and the
        # text is glyph ids either way; read it with a PDF text extractor).
        pageCompression=1,
        invariant=True,
        initialFontName=FONT,  # no Helvetica resource either
        initialFontSize=10,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                frames=[first],
                onPage=lambda c, d: _draw_first_page(c, d, letter),
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", frames=[later], onPage=lambda c, d: _draw_footer(c, d, letter)),
        ]
    )
    story = [_Lines(letter.subject, SUBJECT)]
    for block in letter.body:
        story += block.flowables(letter)
    doc.build(story)
    return buffer.getvalue()


class _Strings:
    """Strings placed on the page, all in one text object (``drawString`` makes a text
    object, a graphics state and a font change for each string)."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.text = canvas.beginText()
        self.current = None

    def font(self, name, size):
        if (name, size) != self.current:
            self.text.setFont(name, size)
            self.current = (name, size)

    def put(self, x, y, string, right=False):
        string = str(string)
        if right:
            x -= pdfmetrics.stringWidth(string, *self.current)
        self.text.setTextOrigin(x, y)
        self.text.textOut(string)

    def draw(self):
        self.canvas.drawText(self.text)


def _draw_first_page(canvas, doc, letter):
    """Everything of page one that is not flowing text."""
    c = letter.creditor
    for name in (FONT, BOLD):
        pdfmetrics.getFont(name).seed(canvas._doc)
    canvas.saveState()
    strings = _Strings(canvas)
    # Letterhead (the 45 mm head of form B).
    strings.font(BOLD, 14)
    strings.put(LEFT, PAGE_H - 22 * mm, c.name)
    strings.font(FONT, 8.5)
    strings.put(
        PAGE_W - RIGHT,
        PAGE_H - 22 * mm,
        " · ".join(p for p in (c.street, c.place) if p),
        right=True,
    )
    strings.put(
        PAGE_W - RIGHT,
        PAGE_H - 26 * mm,
        " · ".join(p for p in (phone_display(c.phone), c.email) if p),
        right=True,
    )
    # Address field: return line in the top zone, the recipient in the address zone.
    top = PAGE_H - 45 * mm
    strings.font(FONT, 7)
    strings.put(25 * mm, top - 4 * mm, c.sender_line)
    strings.font(FONT, 10)
    y = top - 17.7 * mm - 4 * mm
    for line in letter.recipient:
        strings.put(25 * mm, y, line)
        y -= 4.6 * mm
    # Information block with the reference data.
    y = PAGE_H - 50 * mm
    for label, value in letter.info:
        strings.font(FONT, 8.5)
        strings.put(125 * mm, y, label)
        strings.font(BOLD, 8.5)
        strings.put(160 * mm, y, value)
        y -= 4.5 * mm
    # Reference line: small labels, values below, in columns across the text width.
    if letter.reference:
        width = WIDTH / len(letter.reference)
        for i, (label, value) in enumerate(letter.reference):
            strings.font(FONT, 6.5)
            strings.put(LEFT + i * width, PAGE_H - 98.5 * mm, label)
            strings.font(FONT, 9)
            strings.put(LEFT + i * width, PAGE_H - 102.5 * mm, value)
    strings.draw()
    canvas.setLineWidth(0.3)
    canvas.line(25 * mm, top - 5 * mm, 100 * mm, top - 5 * mm)
    # Fold and hole marks at the left edge.
    canvas.setLineWidth(0.5)
    for at, length in ((105, 5), (148.5, 8), (210, 5)):
        canvas.line(3 * mm, PAGE_H - at * mm, (3 + length) * mm, PAGE_H - at * mm)
    canvas.restoreState()
    _draw_footer(canvas, doc, letter)


def _draw_footer(canvas, doc, letter):
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.line(LEFT, FOOTER_H, PAGE_W - RIGHT, FOOTER_H)
    strings = _Strings(canvas)
    strings.font(FONT, 7)
    width = WIDTH / 3
    for i, lines in enumerate(letter.creditor.footer_columns()):
        y = FOOTER_H - 4 * mm
        for line in lines:
            strings.put(LEFT + i * width, y, line)
            y -= 3.3 * mm
    strings.put(PAGE_W - RIGHT, 6 * mm, _("Page %(n)d") % {"n": doc.page}, right=True)
    strings.draw()
    canvas.restoreState()


def recipient_lines(person) -> list[str]:
    """The address window's lines for anything with the customer's address fields."""
    lines = []
    if getattr(person, "company_name", ""):
        lines.append(person.company_name)
    lines.append(f"{person.first_name} {person.last_name}".strip())
    lines += [person.street, f"{person.postal_code} {person.city}".strip()]
    country = getattr(person, "country", "")
    if country and country != "DE":
        lines.append(country)
    return [line for line in lines if line]


def page_count(pdf: bytes) -> int:
    """Pages of a PDF (for tests and the one-page check of dunning letters)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
