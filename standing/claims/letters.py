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
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from standing.accounts.scoping import SYSTEM
from standing.activity.services import record
from standing.core import letters as din
from standing.core.formats import iban_display
from standing.core.letters import Creditor
from standing.core.money import format_money

from . import printfile
from .models import Claim, DeliveryState, DunningRun, EntryKind, Letter

log = logging.getLogger(__name__)
TASK_CHUNK = 200


# --- what the letter says ----------------------------------------------------------------------


def reference(claim) -> str:
    """The remittance reference on the letter, the transfer and the QR code."""
    return f"F{claim.pk} {claim.order.number}"


def creditor(claim):
    """Who is owed and who writes, to which account.

    A vendor with an address and an IBAN (Settings → Vendors) is the creditor itself: the
    letterhead, the footer, the GiroCode and the signature are the vendor's. Otherwise the
    operator writes "on behalf of" the vendor, to the operator's account, as before.
    Returns a dict: ``name`` (the creditor), ``collector`` (who writes and is paid), ``iban``,
    ``bic``, ``letterhead`` (the ``core.letters.Creditor`` of the page) and ``on_behalf``.
    """
    vendor = claim.vendor
    name = vendor.legal_name or vendor.name
    if vendor.is_creditor:
        own = Creditor(
            name=name,
            street=vendor.street,
            postal_code=vendor.postal_code,
            city=vendor.city
            if vendor.country in ("", "DE")
            else f"{vendor.city} ({vendor.country})",
            email=vendor.email,
            iban=vendor.iban,
            bic=vendor.bic,
        )
        return {
            "name": name,
            "collector": name,
            "iban": vendor.iban,
            "bic": vendor.bic,
            "letterhead": own,
            "on_behalf": False,
        }
    operator = Creditor.operator()
    return {
        "name": name,
        "collector": operator.name,
        "iban": operator.iban,
        "bic": operator.bic,
        "letterhead": operator,
        "on_behalf": True,
    }


def interest_booking(claim, through) -> dict:
    """The details of the latest interest booking through ``through`` (it holds all pieces),
    or ``{}``."""
    entries = getattr(claim, "_prefetched_objects_cache", {}).get("entries")
    if entries is not None:
        booked = [e for e in entries if e.kind == EntryKind.INTEREST and e.on <= through]
        entry = max(booked, key=lambda e: (e.on, e.pk), default=None)
    else:
        entry = (
            claim.entries.filter(kind=EntryKind.INTEREST, on__lte=through)
            .order_by("-on", "-id")
            .first()
        )
    return (entry.details or {}) if entry else {}


def interest_pieces(claim, through):
    """The interest pieces behind the booked interest (the latest booking holds them all)."""
    return interest_booking(claim, through).get("pieces") or []


def provisional_from(booking: dict):
    """The first day whose base rate was not published when the interest was booked, or
    ``None`` when the booked interest is final."""
    if not booking.get("provisional"):
        return None
    if booking.get("provisional_from"):
        return date.fromisoformat(booking["provisional_from"])
    for piece in booking.get("pieces") or []:
        if piece.get("provisional"):
            return date.fromisoformat(piece["from"])
    from standing.law import services as law

    return law.known_until() + timedelta(days=1)


# What a template may use: {name}, {order}, {order_date}, {product}, {creditor}, {since},
# {deadline}, {total}.
PLACEHOLDERS = ("name", "order", "order_date", "product", "creditor", "since", "deadline", "total")


def default_words(level) -> dict:
    """The words of a letter when no operator admin has changed them (in the active language)."""
    return {
        "subject": _("Payment reminder: order {order}")
        if level == 1
        else _("Second reminder: order {order}"),
        "intro": _(
            "for your order {order} of {order_date} ({product}) with {creditor}, the following "
            "amount has been overdue since {since}:"
        ),
        "closing": _("If you have paid in the meantime, please disregard this letter.")
        if level == 1
        else _(
            "If we do not receive the payment by {deadline}, we will hand the claim over to a "
            "collection agency, which will cause further costs. If you have paid in the "
            "meantime, please disregard this letter."
        ),
    }


_TEMPLATES: ContextVar[dict | None] = ContextVar("letter_templates", default=None)


@contextmanager
def batch():
    """Render many letters: the operator's templates are read once for the batch (not once
    per letter); an edit takes effect with the next batch."""
    token = _TEMPLATES.set({})
    try:
        yield
    finally:
        _TEMPLATES.reset(token)


def words(level, language) -> dict:
    """The letter's words: the operator's template for this level and language, or the
    defaults."""
    from .models import LetterTemplate

    cache = _TEMPLATES.get()
    key = (level, language)
    if cache is not None and key in cache:
        found = cache[key]
    else:
        found = LetterTemplate.objects.filter(level=level, language=language).first()
        if cache is not None:
            cache[key] = found
    if found is None:
        return default_words(level)
    return {"subject": found.subject, "intro": found.intro, "closing": found.closing}


class _Values(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def fill(text, values) -> str:
    """``text`` with its placeholders filled (an unknown one stays as written)."""
    try:
        return text.format_map(_Values(values))
    except (ValueError, IndexError):
        return text


def letter_text(letter, template=None) -> dict:
    """Everything the letter and its email say, in the letter's language (call inside
    ``translation.override``). ``template``: words to use instead of the stored ones (the
    preview of an edited template)."""
    claim = letter.claim
    order = claim.order
    # The first item (prefetched for a batch: no query per letter).
    item = min(order.items.all(), key=lambda i: i.pk, default=None)
    link = claim.offer_link.payment_url if claim.offer_link_id else ""
    money = lambda amount: format_money(amount)  # noqa: E731
    cred = creditor(claim)
    values = {
        "name": claim.customer.full_name,
        "order": order.number,
        "order_date": date_format(timezone.localtime(order.created_at).date()),
        "product": item.name if item else "—",
        "creditor": cred["name"],
        "since": date_format(claim.overdue_since),
        "deadline": date_format(letter.deadline),
        "total": money(letter.total),
    }
    chosen = template or words(letter.level, letter.language)
    amounts = [(_("Open principal"), letter.principal)]
    if letter.costs:
        amounts.append((_("Return debit and chargeback costs"), letter.costs))
    booking = interest_booking(claim, letter.on)
    provisional = provisional_from(booking) if letter.interest else None
    if letter.interest:
        label = _("Default interest (§ 288 BGB)")
        if provisional:
            label = _("Default interest (§ 288 BGB), provisional*")
        amounts.append((label, letter.interest))
    if letter.fees:
        label = _("Flat fee (§ 288 (5) BGB)") if claim.debtor == "business" else _("Dunning fees")
        amounts.append((label, letter.fees))
    amounts.append((_("Total"), letter.total))
    rows = [(label, money(amount)) for label, amount in amounts]
    pieces = [
        [
            date_format(date.fromisoformat(p["from"]), "SHORT_DATE_FORMAT"),
            date_format(date.fromisoformat(p["to"]), "SHORT_DATE_FORMAT"),
            p["days"],
            f"{number_format(Decimal(p['rate']), 2)} %",
            money(Decimal(p["principal"])),
            money(Decimal(p["amount"])) + ("*" if p.get("provisional") else ""),
        ]
        for p in booking.get("pieces") or []
    ]
    note = ""
    if provisional:
        note = _(
            "* Provisional: the base rate from %(day)s has not been published yet; the interest "
            "for these days is computed at the last published rate and corrected once it is."
        ) % {"day": date_format(provisional, "SHORT_DATE_FORMAT")}
    deadline = _("Please pay the total by %(deadline)s.") % {
        "deadline": date_format(letter.deadline)
    }
    pay = _("Pay online: %(link)s") % {"link": link} if link else ""
    account = {
        "name": cred["collector"],
        "iban": iban_display(cred["iban"]),
        "bic": cred["bic"],
        "ref": reference(claim),
    }
    if cred["bic"]:
        transfer = _('Or transfer it to %(name)s, IBAN %(iban)s, BIC %(bic)s, reference "%(ref)s".')
    else:
        transfer = _('Or transfer it to %(name)s, IBAN %(iban)s, reference "%(ref)s".')
    transfer %= account
    if cred["on_behalf"]:
        signature = _("%(collector)s on behalf of %(creditor)s") % {
            "collector": cred["collector"],
            "creditor": cred["name"],
        }
    else:
        signature = cred["name"]
    return {
        "subject": fill(chosen["subject"], values),
        "salutation": _("Dear %(name)s,") % {"name": claim.customer.full_name},
        "intro": fill(chosen["intro"], values),
        "rows": rows,
        "amounts": amounts,
        "pieces": pieces,
        "provisional": provisional,
        "provisional_note": note,
        "creditor": cred,
        "deadline": deadline,
        "pay": pay,
        "link": link,
        "transfer": transfer,
        "closing": fill(chosen["closing"], values),
        "regards": _("Kind regards"),
        "signature": signature,
    }


def render_letter(letter, template=None) -> bytes:
    """The letter as a one-page DIN 5008 PDF (the shared letter module)."""
    claim = letter.claim
    with translation.override(letter.language):
        text = letter_text(letter, template)
        cred = text["creditor"]
        body = [
            din.Text(text["salutation"]),
            din.Space(2),
            din.Text(text["intro"]),
            din.Space(1),
            din.Totals(text["amounts"]),
        ]
        if text["pieces"]:
            body += [
                din.Space(1),
                din.Items(
                    [_("From"), _("To"), _("Days"), _("Rate"), _("Principal"), _("Interest")],
                    text["pieces"][:4],
                    # Dates need 25 mm in DejaVu Sans at the cell size, or the year breaks.
                    widths_mm=[25, 25, 13, 20, None, 24],
                    align="LLRRRR",
                ),
            ]
        if text["provisional_note"]:
            body += [din.Space(1), din.Text(text["provisional_note"], small=True)]
        pay = " ".join(part for part in (text["deadline"], text["pay"]) if part)
        body += [din.Space(2), din.Text(pay), din.Space(1)]
        codes = []
        if text["link"]:
            # Level L for the link: printed on paper, not worn; the GiroCode is M (EPC069-12).
            codes.append(
                din.QRCode(text["link"], size_mm=22, caption=_("Pay online"), error="l", mask=0)
            )
        codes.append(
            din.girocode(
                cred["letterhead"],
                letter.total,
                reference(claim),
                size_mm=22,
                caption=_("GiroCode (bank transfer)"),
                mask=0,
            )
        )
        codes.append(din.Text(text["transfer"]))
        body += [din.Row(codes), din.Space(1), din.Text(text["closing"])]
        body.append(din.Closing(text["regards"], text["signature"]))
        document = din.Letter(
            creditor=cred["letterhead"],
            recipient=din.recipient_lines(claim.customer),
            subject=text["subject"],
            body=body,
            info=[
                (_("Customer number"), claim.customer.number),
                (_("Order"), claim.order.number),
                (_("Claim"), str(claim.pk)),
                (_("Date"), date_format(letter.on, "d.m.Y")),
            ],
            reference=[
                (_("Creditor"), cred["name"][:40]),
                (_("Order of"), date_format(timezone.localtime(claim.order.created_at).date())),
                (_("Your reference"), reference(claim)),
            ],
            language=letter.language,
        )
        return din.render(document)


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
    """The letters with everything their text needs, in a fixed number of queries."""
    return (
        Letter.objects.filter(pk__in=ids)
        .select_related("claim__order", "claim__customer", "claim__vendor", "claim__offer_link")
        .prefetch_related("claim__order__items", "claim__entries")
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
    """Hand the letter to the outbox once (the email with the PDF and the payment link), and
    keep the PDF among the customer's documents. The conditional update and the outbox row
    are one transaction: a task that runs twice queues one email; the outbox sends it, with
    retries, and shows its state on the card."""
    from standing.customers import outbox
    from standing.customers.models import CustomerFile

    customer = letter.claim.customer
    with transaction.atomic():
        if not customer.email:
            Letter.objects.filter(pk=letter.pk, email_state=DeliveryState.PENDING).update(
                email_state=DeliveryState.NO_EMAIL
            )
            return False
        queued = Letter.objects.filter(pk=letter.pk, email_state=DeliveryState.PENDING).update(
            email_state=DeliveryState.QUEUED, emailed_at=timezone.now()
        )
        if not queued:
            return False
        letter.refresh_from_db(fields=["pdf"])
        with translation.override(letter.language):
            text = letter_text(letter)
            body = "\n\n".join(
                part
                for part in [
                    text["salutation"],
                    text["intro"],
                    "\n".join(f"{label}: {value}" for label, value in text["rows"]),
                    text["provisional_note"],
                    text["deadline"],
                    text["pay"],
                    text["transfer"],
                    text["closing"],
                    f"{text['regards']}\n{text['signature']}",
                ]
                if part
            )
            name = letter.pdf.name.rsplit("/", 1)[-1]
        document = CustomerFile.objects.create(
            customer=customer,
            file=letter.pdf.name,
            name=name,
            content_type="application/pdf",
            size=letter.pdf.size,
        )
        message = outbox.enqueue(customer, text["subject"], body, attachments=[document])
        Letter.objects.filter(pk=letter.pk).update(message=message)
        record(
            customer,
            None,
            "claim.letter_sent",
            _("Dunning letter %(level)s for order %(order)s sent by email")
            % {"level": letter.level, "order": letter.claim.order.number},
            after={"claim": letter.claim_id, "letter": letter.pk, "message": message.pk},
        )
    return True


@task()
def deliver_letters(letter_ids: list[int]):
    """Render, then email, each letter (idempotent)."""
    with batch():
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
    with batch():
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
