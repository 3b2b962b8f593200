"""The one letter module: the creditor as a parameter, the DIN 5008 parts, body blocks
(tables, totals, images, QR codes, the EPC GiroCode) and the page count."""

from decimal import Decimal
from io import BytesIO

import pytest
import segno

from standing.core import letters, qr
from standing.core.tests.pdftext import pdf_content, pdf_text, qr_matrices

VENDOR = letters.Creditor(
    name="Autovermietung Nord GmbH",
    street="Hafenstraße 5",
    postal_code="20457",
    city="Hamburg",
    phone="+49 40 555555",
    email="buchhaltung@nord.example",
    bank="Hamburger Sparkasse",
    iban="DE02 2005 0550 1234 5678 90",
    bic="HASPDEHHXXX",
    register="Amtsgericht Hamburg HRB 98765",
    vat_id="DE987654321",
    managing_directors="Jan Hansen",
)


def letter(**changes):
    values = {
        "creditor": VENDOR,
        "recipient": ["Anna Müller", "Hauptstraße 1", "10115 Berlin"],
        "subject": "Zahlungserinnerung",
        "info": [("Kundennummer", "K-000001"), ("Datum", "01.12.2026")],
        "body": [letters.Text("Sehr geehrte Frau Müller,")],
        **changes,
    }
    return letters.Letter(**values)


def test_the_vendor_is_the_creditor_in_head_window_and_footer(settings):
    pdf = letters.render(letter())
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF")
    for part in [
        "Autovermietung Nord GmbH · Hafenstraße 5 · 20457 Hamburg",  # return line
        "Anna Müller",
        "10115 Berlin",
        "Kundennummer",
        "K-000001",
        "IBAN DE02 2005 0550 1234 5678 90",
        "BIC HASPDEHHXXX",
        "Amtsgericht Hamburg HRB 98765",
        "DE987654321",
        "Jan Hansen",
        "Zahlungserinnerung",
    ]:
        assert part in text, part
    # Nothing of the operator's own letterhead.
    assert settings.COMPANY["iban"] not in text
    assert settings.COMPANY["name"] not in text
    assert letters.page_count(pdf) == 1


def test_operator_creditor_comes_from_settings(settings):
    settings.COMPANY = {**settings.COMPANY, "name": "Betreiber AG", "iban": "DE11 1111"}
    creditor = letters.Creditor.operator()
    assert creditor.name == "Betreiber AG" and creditor.iban == "DE11 1111"
    assert "Betreiber AG" in pdf_text(letters.render(letter(creditor=creditor)))


def test_reference_line_items_totals_and_closing():
    pdf = letters.render(
        letter(
            reference=[("Ihr Zeichen", "AB-1"), ("Unser Zeichen", "R-2026-17")],
            body=[
                letters.Text("Guten Tag,"),
                letters.Items(
                    ["Pos.", "Beschreibung", "Betrag"],
                    [(1, "Miete <Juni> & Co", "1.234,50 €")],
                    widths_mm=[12, None, 30],
                    align="LLR",
                ),
                letters.Totals(
                    [("Hauptforderung", Decimal("1234.50")), ("Gesamt", Decimal("1239.50"))]
                ),
                letters.Closing("Mit freundlichen Grüßen", "Autovermietung Nord GmbH"),
            ],
        )
    )
    text = pdf_text(pdf)
    for part in ["Ihr Zeichen", "R-2026-17", "1.239,50"]:
        assert part in text, part
    # Text is never markup: shown as written (ReportLab splits it into runs).
    assert "Miete <Juni> & Co" in text
    assert "Mit freundlichen Grüßen" in text


def test_amounts_follow_the_letters_language():
    body = [letters.Totals([("Total", Decimal("1234.5"))])]
    assert "1.234,50" in pdf_text(letters.render(letter(body=body, language="de")))
    english = pdf_text(letters.render(letter(body=body, language="en")))
    assert "1,234.50" in english and "1.234,50" not in english
    assert "Page 1" in english


def test_long_letters_flow_onto_further_pages_with_the_footer():
    rows = [(i, f"Position {i}", "1,00 €") for i in range(120)]
    pdf = letters.render(letter(body=[letters.Items(["Pos.", "Text", "Betrag"], rows)]))
    pages = letters.page_count(pdf)
    assert pages >= 3
    assert pdf_text(pdf).count("HASPDEHHXXX") == pages  # the footer on every page


def test_epc_girocode_payload():
    payload = letters.epc_payload(VENDOR, Decimal("123.4"), "Mahnung  R-17\nMüller")
    assert payload.decode("utf-8").split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "HASPDEHHXXX",
        "Autovermietung Nord GmbH",
        "DE02200505501234567890",
        "EUR123.40",
        "",
        "",
        "Mahnung R-17 Müller",
    ]


@pytest.mark.parametrize(
    ("creditor", "amount"),
    [
        (letters.Creditor(name="Ohne Bank"), Decimal("10.00")),
        (VENDOR, Decimal("0.00")),
        (VENDOR, Decimal("1000000000.00")),
    ],
)
def test_girocode_refuses_what_a_bank_app_could_not_use(creditor, amount):
    with pytest.raises(ValueError):
        letters.girocode(creditor, amount, "Mahnung")


def test_qr_codes_side_by_side_and_an_image_fit_on_one_page():
    png = BytesIO()
    segno.make("logo").save(png, kind="png", scale=4)
    pdf = letters.render(
        letter(
            body=[
                letters.Text("Bitte zahlen Sie bis zum 15.12.2026."),
                letters.Row(
                    [
                        letters.QRCode("https://pay.example/p/abc", caption="Online bezahlen"),
                        letters.girocode(
                            VENDOR, Decimal("99.90"), "R-17", caption="GiroCode (Banking-App)"
                        ),
                    ]
                ),
                letters.Image(png.getvalue(), width_mm=20, caption="Logo"),
            ]
        )
    )
    text = pdf_text(pdf)
    assert "Online bezahlen" in text and "GiroCode (Banking-App)" in text
    assert letters.page_count(pdf) == 1
    # The QR modules are vector squares: many filled rectangles in the page content.
    assert pdf_content(pdf).count(" re") > 200


QR_PAYLOADS = [
    "https://pay.example/p/abc",
    "https://www.sandbox.paypal.com/checkoutnow?token=8XR12345ABCDEF678",
    letters.epc_payload(VENDOR, Decimal("50.32"), "F123 BC-00000123 Müller"),
    b"x",
    b"x" * 150,  # version 7 and more: with version information
    bytes(range(256)) * 2,  # version 10 and more: a 16-bit character count
    "Grüße aus Köln",  # Latin-1, as segno encodes a str
    "Łódź",  # not Latin-1: segno's path
    "12345",  # numeric and alphanumeric: segno's path
    "HELLO WORLD",
]


@pytest.mark.parametrize("payload", QR_PAYLOADS)
@pytest.mark.parametrize("error", "LMQH")
def test_the_fast_qr_code_is_segnos_module_for_module(payload, error):
    for mask in range(8):
        reference = segno.make(payload, error=error, micro=False, boost_error=False, mask=mask)
        code = qr.make(payload, error.lower(), mask)
        assert (code.version, code.error, code.mask) == (reference.version, error, mask)
        assert code.matrix == tuple(bytes(row) for row in reference.matrix)


def test_the_drawn_qr_codes_are_exactly_the_payloads_codes():
    """What the page draws (merged rectangles) is segno's matrix of the payload: a reader
    decodes the same link and the same transfer."""
    link = "https://pay.example/p/abc-123"
    epc = letters.epc_payload(VENDOR, Decimal("99.90"), "R-17")
    pdf = letters.render(
        letter(
            body=[
                letters.Row(
                    [
                        letters.QRCode(link, error="l", mask=0),
                        letters.girocode(VENDOR, Decimal("99.90"), "R-17", mask=0),
                        letters.QRCode(link),  # the best mask, chosen by segno
                    ]
                )
            ]
        )
    )
    best = segno.make(link, error="m", micro=False, boost_error=False)
    assert qr_matrices(pdf) == [
        tuple(bytes(row) for row in code.matrix)
        for code in (
            segno.make(link, error="l", micro=False, boost_error=False, mask=0),
            segno.make(epc, error="m", micro=False, boost_error=False, mask=0),
            best,
        )
    ]


def test_the_girocode_is_error_level_m():
    code = letters.girocode(VENDOR, Decimal("5.00"), "R-1").code()
    assert code.error == "M" and code.version <= 13


def test_names_outside_latin_1_are_printed_as_written():
    """The letter font is embedded DejaVu Sans: Turkish, Scandinavian and Polish letters are
    not dropped (Helvetica, a standard PDF font, knows only Latin-1)."""
    name = "Ayşe Øzdemir-Łukasz"
    pdf = letters.render(
        letter(
            recipient=[name, "Hauptstraße 1", "10115 Berlin"],
            subject=f"Zahlungserinnerung für {name}",
            body=[letters.Text(f"Sehr geehrte Frau {name},"), letters.Closing("Gruß", name)],
        )
    )
    text = pdf_text(pdf)
    assert text.count(name) >= 4, text  # address window, subject, salutation, signature
    assert b"/FontFile2" in pdf and b"DejaVuSans" in pdf  # embedded, not a standard font
    assert b"/Helvetica" not in pdf


def test_fonts_are_registered_once_per_process():
    letters.render(letter())
    letters.register_fonts()
    assert letters.register_fonts.cache_info().misses == 1
