"""Dunning letters: the PDF (DIN 5008, one page), the email with the PDF and the payment link,
the run's merged print file, and the vendor's approval request. All of it runs in tasks after
the run's transaction committed; each step is idempotent, so a task that runs twice, or a run
started again after it was killed, makes each PDF once and sends each email at most once.

The letter layout is the project's DIN 5008 letter (``render_letter`` below is the one place
that calls it: switch it to the shared letter module with the creditor as a parameter when
that lands).
"""

import logging
import tempfile
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from standing.accounts.scoping import SYSTEM
from standing.activity.services import record
from standing.core.money import format_money

from . import printfile
from .models import Claim, DeliveryState, DunningRun, EntryKind, Letter

log = logging.getLogger(__name__)
TASK_CHUNK = 200


# --- what the letter says ----------------------------------------------------------------------


def reference(claim) -> str:
    """The remittance reference on the letter, the transfer and the QR code."""
    return f"F{claim.pk} {claim.order.number}"


def epc_payload(*, name, iban, bic, amount: Decimal, text: str) -> str:
    """The EPC069-12 "GiroCode" payload (version 002, UTF-8, SEPA credit transfer)."""
    iban = iban.replace(" ", "").upper()
    return "\n".join(
        [
            "BCD",
            "002",
            "1",
            "SCT",
            (bic or "").replace(" ", "").upper(),
            name[:70],
            iban,
            f"EUR{amount:.2f}" if amount > 0 else "",
            "",
            "",
            text[:140],
        ]
    )


def qr_flowable(data: str, size_mm: float, *, error="M", micro=False):
    import segno
    from reportlab.lib.units import mm
    from reportlab.platypus import Image

    buffer = BytesIO()
    segno.make(data, error=error, micro=micro).save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=size_mm * mm, height=size_mm * mm)


def creditor(claim):
    """Who is owed: the vendor; the operator collects on its behalf to its own account."""
    company = settings.COMPANY
    return {
        "name": claim.vendor.legal_name or claim.vendor.name,
        "collector": company["name"],
        "iban": company["iban"],
        "bic": company["bic"],
    }


def interest_pieces(claim, through):
    """The interest pieces behind the booked interest (the latest booking holds them all)."""
    entry = (
        claim.entries.filter(kind=EntryKind.INTEREST, on__lte=through)
        .order_by("-on", "-id")
        .first()
    )
    return (entry.details.get("pieces") or []) if entry else []


def letter_text(letter) -> dict:
    """Everything the letter and its email say, in the letter's language (call inside
    ``translation.override``)."""
    claim = letter.claim
    order = claim.order
    item = order.items.first()
    link = claim.offer_link.payment_url if claim.offer_link_id else ""
    subject = (
        _("Payment reminder: order %(order)s")
        if letter.level == 1
        else _("Second reminder: order %(order)s")
    ) % {"order": order.number}
    money = lambda amount: format_money(amount)  # noqa: E731
    intro = _(
        "for your order %(order)s of %(date)s (%(product)s) with %(creditor)s, the following "
        "amount has been overdue since %(since)s:"
    ) % {
        "order": order.number,
        "date": date_format(timezone.localtime(order.created_at).date()),
        "product": item.name if item else "—",
        "creditor": creditor(claim)["name"],
        "since": date_format(claim.overdue_since),
    }
    rows = [(_("Open principal"), money(letter.principal))]
    if letter.costs:
        rows.append((_("Return debit and chargeback costs"), money(letter.costs)))
    if letter.interest:
        rows.append((_("Default interest (§ 288 BGB)"), money(letter.interest)))
    if letter.fees:
        rows.append((_("Dunning fees"), money(letter.fees)))
    rows.append((_("Total"), money(letter.total)))
    pieces = [
        _("%(from)s–%(to)s: %(days)s days at %(rate)s %% on %(principal)s = %(amount)s")
        % {
            "from": p["from"],
            "to": p["to"],
            "days": p["days"],
            "rate": p["rate"],
            "principal": money(Decimal(p["principal"])),
            "amount": money(Decimal(p["amount"])),
        }
        for p in interest_pieces(claim, letter.on)
    ]
    deadline = _("Please pay the total by %(deadline)s.") % {
        "deadline": date_format(letter.deadline)
    }
    if letter.level == 2:
        deadline += " " + _(
            "If we do not receive the payment by then, we will hand the claim over to a "
            "collection agency, which will cause further costs."
        )
    pay = _("Pay online: %(link)s") % {"link": link} if link else ""
    transfer = _('Or transfer it to %(name)s, IBAN %(iban)s, BIC %(bic)s, reference "%(ref)s".') % {
        "name": creditor(claim)["collector"],
        "iban": creditor(claim)["iban"],
        "bic": creditor(claim)["bic"],
        "ref": reference(claim),
    }
    return {
        "subject": subject,
        "salutation": _("Dear %(name)s,") % {"name": claim.customer.full_name},
        "intro": intro,
        "rows": rows,
        "pieces": pieces,
        "deadline": deadline,
        "pay": pay,
        "link": link,
        "transfer": transfer,
        "closing": _("If you have paid in the meantime, please disregard this letter."),
        "regards": _("Kind regards"),
        "signature": _("%(collector)s on behalf of %(creditor)s")
        % {"collector": creditor(claim)["collector"], "creditor": creditor(claim)["name"]},
    }


def render_letter(letter) -> bytes:
    """The letter as a one-page DIN 5008 PDF."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table

    from standing.billing.pdf import BODY, CELL, CELL_R, recipient_lines
    from standing.billing.pdf import render_letter as din5008

    claim = letter.claim
    with translation.override(letter.language):
        text = letter_text(letter)
        info = [
            (_("Customer number"), claim.customer.number),
            (_("Order"), claim.order.number),
            (_("Claim"), str(claim.pk)),
            (_("Date"), date_format(letter.on, "d.m.Y")),
        ]
        table = Table(
            [[Paragraph(label, CELL), Paragraph(value, CELL_R)] for label, value in text["rows"]],
            colWidths=[110 * mm, 35 * mm],
        )
        table.setStyle(
            [
                ("LINEABOVE", (0, -1), (-1, -1), 0.6, "black"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
            ]
        )
        flow = [
            Paragraph(text["salutation"], BODY),
            Spacer(1, 3 * mm),
            Paragraph(text["intro"], BODY),
            Spacer(1, 2 * mm),
            table,
        ]
        if text["pieces"]:
            flow.append(Spacer(1, 1 * mm))
            flow += [Paragraph(p, CELL) for p in text["pieces"][:6]]
        flow += [Spacer(1, 3 * mm), Paragraph(text["deadline"], BODY), Spacer(1, 2 * mm)]
        codes = []
        if text["link"]:
            flow.append(Paragraph(text["pay"], CELL))
            codes.append(qr_flowable(text["link"], 26))
        flow.append(Paragraph(text["transfer"], CELL))
        cred = creditor(claim)
        codes.append(
            qr_flowable(
                epc_payload(
                    name=cred["collector"],
                    iban=cred["iban"],
                    bic=cred["bic"],
                    amount=letter.total,
                    text=reference(claim),
                ),
                26,
            )
        )
        labels = ([_("Pay online")] if text["link"] else []) + [_("GiroCode (bank transfer)")]
        flow += [
            Spacer(1, 2 * mm),
            Table([codes, [Paragraph(lbl, CELL) for lbl in labels]], hAlign="LEFT"),
            Spacer(1, 2 * mm),
            Paragraph(text["closing"], BODY),
            Spacer(1, 3 * mm),
            Paragraph(text["regards"], BODY),
            Paragraph(text["signature"], BODY),
        ]
        return din5008(recipient_lines(claim.customer), info, text["subject"], flow)


# --- the payment link -------------------------------------------------------------------------


def ensure_offer_link(claim, amount: Decimal):
    """The claim's open payment link over ``amount`` (made through the configured provider,
    outside any transaction; an open link over another amount is replaced)."""
    from standing.payments.models import LinkStatus
    from standing.payments.services import create_link

    link = claim.offer_link
    if link is not None and link.status == LinkStatus.CREATED and link.amount == amount:
        return link
    if amount <= 0:
        return link
    link = create_link(
        claim.customer,
        amount,
        _("Claim %(id)s, order %(order)s") % {"id": claim.pk, "order": claim.order.number},
        SYSTEM,
    )
    Claim.objects.filter(pk=claim.pk).update(offer_link=link)
    claim.offer_link = link
    return link


# --- tasks --------------------------------------------------------------------------------------


def _letters(ids):
    return Letter.objects.filter(pk__in=ids).select_related(
        "claim__order", "claim__customer", "claim__vendor", "claim__offer_link"
    )


def make_pdf(letter) -> bool:
    """Render and store the letter's PDF once (the conditional update decides who stores)."""
    if letter.rendered_at is not None:
        return False
    if letter.claim.offer_link_id is None or letter.claim.offer_link.amount != letter.total:
        ensure_offer_link(letter.claim, letter.total)
    pdf = render_letter(letter)
    name = f"mahnung-{letter.level}-{letter.claim.order.number}.pdf"
    with transaction.atomic():
        if not Letter.objects.filter(pk=letter.pk, rendered_at__isnull=True).exists():
            return False
        letter.pdf.save(name, ContentFile(pdf), save=False)
        Letter.objects.filter(pk=letter.pk, rendered_at__isnull=True).update(
            pdf=letter.pdf.name, rendered_at=timezone.now()
        )
    return True


def send_email(letter) -> bool:
    """Email the letter once: claimed by a conditional update before sending (a crash while
    sending leaves it ``sending``, visible, never sent twice)."""
    customer = letter.claim.customer
    if not customer.email:
        Letter.objects.filter(pk=letter.pk, email_state=DeliveryState.PENDING).update(
            email_state=DeliveryState.NO_EMAIL
        )
        return False
    claimed = Letter.objects.filter(pk=letter.pk, email_state=DeliveryState.PENDING).update(
        email_state=DeliveryState.SENDING
    )
    if not claimed:
        return False
    letter.refresh_from_db(fields=["pdf"])
    with translation.override(letter.language):
        text = letter_text(letter)
        body = "\n\n".join(
            [
                text["salutation"],
                text["intro"],
                "\n".join(f"{label}: {value}" for label, value in text["rows"]),
                text["deadline"],
                text["pay"],
                text["transfer"],
                text["closing"],
                f"{text['regards']}\n{text['signature']}",
            ]
        )
        email = EmailMessage(text["subject"], body, settings.DEFAULT_FROM_EMAIL, [customer.email])
    with letter.pdf.open("rb") as fh:
        email.attach(letter.pdf.name.rsplit("/", 1)[-1], fh.read(), "application/pdf")
    try:
        email.send()
    except OSError as error:
        Letter.objects.filter(pk=letter.pk).update(email_state=DeliveryState.FAILED)
        log.warning("dunning letter %s: email failed: %s", letter.pk, error)
        return False
    Letter.objects.filter(pk=letter.pk).update(
        email_state=DeliveryState.SENT, emailed_at=timezone.now()
    )
    record(
        customer,
        None,
        "claim.letter_sent",
        _("Dunning letter %(level)s for order %(order)s emailed")
        % {"level": letter.level, "order": letter.claim.order.number},
        after={"claim": letter.claim_id, "letter": letter.pk},
    )
    return True


@task()
def deliver_letters(letter_ids: list[int]):
    """Render, then email, each letter (idempotent)."""
    for letter in _letters(letter_ids):
        make_pdf(letter)
        letter.refresh_from_db(fields=["pdf", "rendered_at"])
        if letter.rendered_at is not None:
            send_email(letter)


@task()
def build_print_file(run_id: int):
    """The run's merged print file (every letter of the run, one PDF) for a print service."""
    run = DunningRun.objects.filter(pk=run_id).first()
    if run is None or run.print_file:
        return
    letters = list(_letters(run.letters.values_list("pk", flat=True)).order_by("pk"))
    if not letters:
        return
    for letter in letters:
        make_pdf(letter)
    names = Letter.objects.filter(run=run).order_by("pk").values_list("pdf", flat=True)
    with tempfile.TemporaryFile() as out:
        printfile.merge_into(out, printfile.read_stored(names.iterator(chunk_size=500)))
        out.seek(0)
        run.print_file.save(f"druck-{run.as_of}-{run.pk}.pdf", File(out), save=False)
    DunningRun.objects.filter(pk=run.pk, print_file="").update(print_file=run.print_file.name)


def enqueue_letters(letter_ids, run_id):
    """After the run committed: one task per chunk of letters, then the print file."""
    for start in range(0, len(letter_ids), TASK_CHUNK):
        deliver_letters.enqueue(list(letter_ids[start : start + TASK_CHUNK]))
    build_print_file.enqueue(run_id)


def sweep_unsent(now):
    """The tick: letters whose tasks were lost (a crash between commit and enqueue) are
    delivered again; idempotent."""
    stale = Letter.objects.filter(
        Q(rendered_at__isnull=True) | Q(email_state=DeliveryState.PENDING),
        created_at__lte=now - timedelta(minutes=5),
    ).values_list("pk", flat=True)[:1000]
    ids = list(stale)
    if ids:
        deliver_letters.enqueue(ids)
        return f"dunning letters re-queued: {len(ids)}"
    return None


@task()
def vendor_approval_email(vendor_id: int, count: int, as_of: str):
    from standing.vendors.models import Vendor

    vendor = Vendor.objects.filter(pk=vendor_id).first()
    if vendor is None or not vendor.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "%(count)s claim(s) received two dunning letters without payment and wait for your "
            "approval to be handed over to the collection agency (run of %(day)s). Please "
            "approve or cancel them in Standing: %(url)s"
        ) % {"count": count, "day": as_of, "url": settings.SITE_URL.rstrip("/") + "/claims/review/"}
        EmailMessage(
            _("Claims waiting for your approval"), body, settings.DEFAULT_FROM_EMAIL, [vendor.email]
        ).send()


def ask_vendor_approval(vendor_id, count, as_of):
    vendor_approval_email.enqueue(vendor_id, count, as_of.isoformat())
