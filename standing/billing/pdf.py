"""German business letters as PDF (DIN 5008, form B) with ReportLab.

Form B geometry on A4: the address field sits 45 mm from the top and 20 mm from the left,
85 × 45 mm, with the sender's return line ("Rücksendeangabe") in its top zone; the
information block starts 125 mm from the left and 50 mm from the top; the text (subject,
table, totals) begins below the address field with a 25 mm left margin. Fold marks at 105 and
210 mm, the hole mark at 148.5 mm. The footer carries bank and registry data from
``settings.COMPANY``.
"""

from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table

from standing.core.money import format_money
from standing.customers.normalize import iban_display, phone_display

PAGE_W, PAGE_H = A4
LEFT, RIGHT = 25 * mm, 20 * mm
FOOTER_H = 28 * mm
FONT, BOLD = "Helvetica", "Helvetica-Bold"

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
SUBJECT = ParagraphStyle("subject", parent=BODY, fontName=BOLD, fontSize=11, spaceAfter=8)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9.5, leading=12)
CELL_R = ParagraphStyle("cell_r", parent=CELL, alignment=TA_RIGHT)


def money(amount: Decimal, currency="EUR") -> str:
    """In the letter's language: 1.234,56 € in German."""
    return format_money(amount, currency=currency)


def _company():
    return settings.COMPANY


def _sender_line():
    c = _company()
    return f"{c['name']} · {c['street']} · {c['postal_code']} {c['city']}"


def _draw_fixed(canvas, doc, recipient, info_rows):
    """Everything of page one that is not flowing text."""
    c = _company()
    canvas.saveState()
    # Letterhead (the 45 mm head of form B).
    canvas.setFont(BOLD, 14)
    canvas.drawString(LEFT, PAGE_H - 22 * mm, c["name"])
    canvas.setFont(FONT, 8.5)
    canvas.drawRightString(
        PAGE_W - RIGHT, PAGE_H - 22 * mm, f"{c['street']} · {c['postal_code']} {c['city']}"
    )
    canvas.drawRightString(
        PAGE_W - RIGHT, PAGE_H - 26 * mm, f"{phone_display(c['phone'])} · {c['email']}"
    )
    # Address field: return line in the top zone, the recipient in the address zone.
    top = PAGE_H - 45 * mm
    canvas.setFont(FONT, 7)
    canvas.drawString(20 * mm + 5 * mm, top - 4 * mm, _sender_line())
    canvas.setLineWidth(0.3)
    canvas.line(25 * mm, top - 5 * mm, 100 * mm, top - 5 * mm)
    canvas.setFont(FONT, 10)
    y = top - 17.7 * mm - 4 * mm
    for line in recipient:
        canvas.drawString(25 * mm, y, line)
        y -= 4.6 * mm
    # Information block with the reference data.
    y = PAGE_H - 50 * mm
    for label, value in info_rows:
        canvas.setFont(FONT, 8.5)
        canvas.drawString(125 * mm, y, label)
        canvas.setFont(BOLD, 8.5)
        canvas.drawString(160 * mm, y, str(value))
        y -= 4.5 * mm
    # Fold and hole marks at the left edge.
    canvas.setLineWidth(0.5)
    for at, length in ((105, 5), (148.5, 8), (210, 5)):
        canvas.line(3 * mm, PAGE_H - at * mm, (3 + length) * mm, PAGE_H - at * mm)
    canvas.restoreState()
    _draw_footer(canvas, doc)


def _draw_footer(canvas, doc):
    c = _company()
    columns = [
        [c["name"], c["street"], f"{c['postal_code']} {c['city']}", c["website"]],
        [c["bank"], f"IBAN {iban_display(c['iban'])}", f"BIC {c['bic']}"],
        [
            c["register"],
            _("VAT ID %(id)s") % {"id": c["vat_id"]},
            _("Managing directors: %(names)s") % {"names": c["managing_directors"]},
        ],
    ]
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.line(LEFT, FOOTER_H, PAGE_W - RIGHT, FOOTER_H)
    canvas.setFont(FONT, 7)
    width = (PAGE_W - LEFT - RIGHT) / 3
    for i, lines in enumerate(columns):
        y = FOOTER_H - 4 * mm
        for line in lines:
            canvas.drawString(LEFT + i * width, y, line)
            y -= 3.3 * mm
    canvas.drawRightString(PAGE_W - RIGHT, 6 * mm, _("Page %(n)d") % {"n": doc.page})
    canvas.restoreState()


def render_letter(recipient, info_rows, subject, flowables) -> bytes:
    """A DIN 5008 form B letter: ``recipient`` lines for the window, ``info_rows`` (label,
    value) for the information block, a bold ``subject`` and the body ``flowables``."""
    buffer = BytesIO()
    width = PAGE_W - LEFT - RIGHT
    # No frame padding: the text starts exactly at the 25 mm margin, like the address.
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    bottom = FOOTER_H + 4 * mm
    first = Frame(LEFT, bottom, width, PAGE_H - 103.4 * mm - bottom, id="f1", **pad)
    later = Frame(LEFT, bottom, width, PAGE_H - 20 * mm - bottom, id="f2", **pad)
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=subject,
        author=_company()["name"],
        # Uncompressed, so the text stays searchable in the raw file (tests, archive greps).
        pageCompression=0,
        invariant=True,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "first",
                frames=[first],
                onPage=lambda c, d: _draw_fixed(c, d, recipient, info_rows),
                autoNextPageTemplate="later",
            ),
            PageTemplate("later", frames=[later], onPage=_draw_footer),
        ]
    )
    doc.build([Paragraph(subject, SUBJECT), *flowables])
    return buffer.getvalue()


def recipient_lines(customer):
    lines = []
    if customer.company_name:
        lines.append(customer.company_name)
    lines.append(f"{customer.first_name} {customer.last_name}".strip())
    lines += [customer.street, f"{customer.postal_code} {customer.city}".strip()]
    if customer.country and customer.country != "DE":
        lines.append(customer.country)
    return [line for line in lines if line]


def render_document(document) -> bytes:
    """The PDF of an invoice or receipt ("Beleg"), in the customer's language."""
    with translation.override(document.customer.language or settings.LANGUAGE_CODE):
        return _render_document(document)


def _render_document(document) -> bytes:
    customer = document.customer
    issued = timezone.localtime(document.issued_at)
    info = [
        (_("Customer number"), customer.number),
        (_("Document number"), document.number),
        (_("Date"), issued.strftime("%d.%m.%Y")),
    ]
    header = [_("Pos."), _("Description"), _("Quantity"), _("Unit price"), _("Amount")]
    rows = [[Paragraph(h, CELL) if i < 2 else Paragraph(h, CELL_R) for i, h in enumerate(header)]]
    for line in document.lines.all():
        rows.append(
            [
                Paragraph(str(line.position), CELL),
                Paragraph(line.description, CELL),
                Paragraph(f"{line.quantity:.2f}".replace(".", ","), CELL_R),
                Paragraph(money(line.unit_price, document.currency), CELL_R),
                Paragraph(money(line.amount, document.currency), CELL_R),
            ]
        )
    width = PAGE_W - LEFT - RIGHT
    table = Table(rows, colWidths=[12 * mm, width - 87 * mm, 20 * mm, 27 * mm, 28 * mm])
    table.setStyle(
        [
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
            ("LINEBELOW", (0, -1), (-1, -1), 0.3, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    vat_label = _("VAT %(rate)s %%") % {"rate": f"{document.vat_rate:.2f}".replace(".", ",")}
    totals = Table(
        [
            [_("Net amount"), money(document.net_total, document.currency)],
            [vat_label, money(document.vat_total, document.currency)],
            [_("Total"), money(document.gross_total, document.currency)],
        ],
        colWidths=[50 * mm, 28 * mm],
        hAlign="RIGHT",
    )
    totals.setStyle(
        [
            ("ALIGN", (1, 0), (1, -1), "RIGHT"),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTNAME", (0, -1), (-1, -1), BOLD),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
        ]
    )
    if document.vat_rate == 0:
        note = _("The amount is not subject to VAT (deposit, no exchange of services).")
    else:
        note = ""
    if document.kind == "receipt":
        closing = _("We confirm the receipt of the amount above with thanks.")
    else:
        closing = _(
            "Please transfer the total to the account below, quoting the document number %(n)s."
        ) % {"n": document.number}
    salutation = _("Dear %(name)s,") % {"name": f"{customer.first_name} {customer.last_name}"}
    flowables = [
        Paragraph(salutation, BODY),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 3 * mm),
        totals,
        Spacer(1, 6 * mm),
    ]
    if note:
        flowables += [Paragraph(note, BODY), Spacer(1, 2 * mm)]
    flowables += [
        Paragraph(closing, BODY),
        Spacer(1, 6 * mm),
        Paragraph(_("Kind regards"), BODY),
        Paragraph(_company()["name"], BODY),
    ]
    return render_letter(recipient_lines(customer), info, document.subject, flowables)
