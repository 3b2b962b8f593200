"""What an invoice or a deposit receipt ("Beleg") says. The letter's form (DIN 5008, the
creditor's letterhead and footer) is the one letter module's: ``standing.core.letters``."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from standing.core import letters
from standing.core.letters import recipient_lines  # noqa: F401 - kept for callers


def document_letter(document, creditor=None) -> letters.Letter:
    """The letter of an invoice or receipt; ``creditor`` defaults to the operator."""
    customer = document.customer
    language = customer.language or settings.LANGUAGE_CODE
    creditor = creditor or letters.Creditor.operator()
    with translation.override(language):
        issued = timezone.localtime(document.issued_at)
        letter = letters.Letter(
            creditor=creditor,
            recipient=letters.recipient_lines(customer),
            subject=document.subject,
            info=[
                (_("Customer number"), customer.number),
                (_("Document number"), document.number),
                (_("Date"), issued.strftime("%d.%m.%Y")),
            ],
            body=[],
            language=language,
        )
        money = letter.money
        lines = [
            (
                line.position,
                line.description,
                f"{line.quantity:.2f}".replace(".", ","),
                money(line.unit_price, document.currency),
                money(line.amount, document.currency),
            )
            for line in document.lines.all()
        ]
        vat_label = _("VAT %(rate)s %%") % {"rate": f"{document.vat_rate:.2f}".replace(".", ",")}
        if document.kind == "receipt":
            closing = _("We confirm the receipt of the amount above with thanks.")
        else:
            closing = _(
                "Please transfer the total to the account below, quoting the document number %(n)s."
            ) % {"n": document.number}
        letter.body = [
            letters.Text(
                _("Dear %(name)s,") % {"name": f"{customer.first_name} {customer.last_name}"}
            ),
            letters.Space(4),
            letters.Items(
                [_("Pos."), _("Description"), _("Quantity"), _("Unit price"), _("Amount")],
                lines,
                widths_mm=[12, None, 20, 27, 28],
                align="LLRRR",
            ),
            letters.Space(3),
            letters.Totals(
                [
                    (_("Net amount"), document.net_total),
                    (vat_label, document.vat_total),
                    (_("Total"), document.gross_total),
                ],
                currency=document.currency,
            ),
            letters.Space(6),
        ]
        if document.vat_rate == 0:
            # What a deposit receipt says: a deposit is no exchange of services.
            letter.body += [
                letters.Text(
                    _("The amount is not subject to VAT (deposit, no exchange of services).")
                ),
                letters.Space(2),
            ]
        letter.body += [
            letters.Text(closing),
            letters.Closing(_("Kind regards"), creditor.name),
        ]
    return letter


def render_document(document) -> bytes:
    """The PDF of an invoice or receipt ("Beleg")."""
    return letters.render(document_letter(document))
