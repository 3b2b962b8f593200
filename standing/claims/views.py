"""Claim pages: the list (with the vendor's review tab), one claim with its timeline, letters,
ledger, comments and actions, the letters' PDFs, and the dunning runs. Thin: the rules are in
``services``; every query goes through ``accounts.scoping`` (another vendor's claim: 404)."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from standing.accounts.scoping import BACK_OFFICE, acting, get_scoped, scoped
from standing.activity.models import ActivityRecord
from standing.core import pagination
from standing.core.errors import DomainError

from . import run as dunning
from . import services
from .amounts import accrued_interest, amounts_of
from .lifecycle import CLAIMS
from .models import (
    Claim,
    ClaimComment,
    ClaimEntry,
    ClaimStatus,
    CollectionSettings,
    DunningRun,
    Letter,
    Visibility,
)

DONE = {
    "start_dunning": gettext_lazy("Dunning started: the first letter goes out with the next run."),
    "cancel": gettext_lazy("The claim is cancelled."),
    "approve": gettext_lazy("Approved: the claim is handed over to the collection agency."),
    "block": gettext_lazy("The claim is blocked until support has clarified it."),
    "release": gettext_lazy("The claim is released."),
    "pause": gettext_lazy("Dunning pauses until the date given."),
    "comment": gettext_lazy("The comment is saved."),
}


def _claims(actor):
    return scoped(Claim.objects.select_related("order", "customer", "vendor"), actor)


def _date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _amount(value):
    try:
        amount = Decimal(value)
    except (ArithmeticError, ValueError, TypeError):
        return None
    return amount if amount.is_finite() and abs(amount) < Decimal("1e10") else None


@login_required
def claim_list(request):
    """The claims (SPEC §7 board filters); ``status=waiting`` is the vendor's review list."""
    actor = acting(request, *BACK_OFFICE)
    params = request.GET
    today = services.today()
    status = params.get("status", services.IN_PROGRESS)
    try:
        qs = services.claim_list(
            _claims(actor),
            as_of=today,
            status=status if status != "all" else "",
            period_from=_date(params.get("from")),
            period_to=_date(params.get("to")),
            amount_min=_amount(params.get("min")),
            amount_max=_amount(params.get("max")),
            q=params.get("q", ""),
            amounts=False,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("claims:list")
    # The page's ids first (no amounts; counted exactly only where that is cheap), then the
    # page's claims with their derived amounts.
    ids = qs.order_by("-overdue_since", "-id").values_list("pk", flat=True)
    page = pagination.EstimatingPaginator(ids, 25, cap=pagination.EXACT_UP_TO).get_page(
        params.get("page")
    )
    page.object_list = services.page_of(list(page.object_list), today)
    services.annotate_rows(page.object_list, actor, today)
    context = {
        "page": page,
        "params": params,
        "status": status,
        "statuses": ClaimStatus.choices,
        "waiting": _capped(services.waiting_for_vendor(_claims(actor))),
        "today": today,
        "here": request.get_full_path(),  # where each row's action returns to
    }
    template = "claims/list.html#results" if request.htmx else "claims/list.html"
    return render(request, template, context)


WAITING_SHOWN = 999


def _capped(queryset):
    """A badge's count: exact up to 999 (a partial index holds the waiting claims), else
    "999+"."""
    n = queryset.order_by()[: WAITING_SHOWN + 1].count()
    return n if n <= WAITING_SHOWN else f"{WAITING_SHOWN}+"


def _timeline(claim, actor):
    """Every transition of the claim, and the other things people did to it, oldest first."""
    rows = [
        {
            "at": t.at,
            "who": t.actor_label,
            "what": f"{CLAIMS.label(t.from_state)} → {CLAIMS.label(t.to_state)}",
            "reason": t.reason,
        }
        for t in CLAIMS.history(claim)
    ]
    actions = ActivityRecord.objects.filter(
        customer=claim.customer,
        action__in=[
            "claim.opened",
            "claim.dunning_started",
            "claim.paused",
            "claim.payment",
            "claim.letter_sent",
            "claim.added",
        ],
        after__claim=claim.pk,
    )
    if not actor.is_staff:
        actions = actions.filter(internal=False)
    rows += [
        {"at": r.created_at, "who": r.actor_label, "what": r.summary, "reason": ""} for r in actions
    ]
    return sorted(rows, key=lambda row: row["at"])


@login_required
def detail(request, claim_id):
    actor = acting(request, *BACK_OFFICE)
    claim = get_scoped(
        _claims(actor).select_related("offer_link", "reopened_order"), actor, pk=claim_id
    )
    today = services.today()
    owed = amounts_of(claim, today)
    context = {
        "claim": claim,
        "owed": owed,
        "today": today,
        "days_overdue": max((today - claim.overdue_since).days, 0),
        "dunned": services.is_dunned(claim),
        "actions": services.allowed_actions(claim, actor, today),
        "timeline": _timeline(claim, actor),
        "letters": Letter.objects.filter(claim=claim).select_related("message").order_by("level"),
        "ledger": ClaimEntry.objects.filter(claim=claim),
        "interest": accrued_interest(claim, today) if claim.default_since else None,
        "comments": scoped(ClaimComment.objects.filter(claim=claim), actor),
        "visibilities": Visibility.choices
        if actor.is_staff
        else [(Visibility.VENDOR, Visibility.VENDOR.label)],
        "handover": handover_section(claim),
    }
    return render(request, "claims/detail.html", context)


@login_required
@require_POST
def action(request, claim_id, name):
    actor = acting(request, *BACK_OFFICE)
    claim = get_scoped(_claims(actor), actor, pk=claim_id)
    if name not in services.ACTIONS:
        raise Http404("unknown action")
    values = {k: request.POST.get(k, "") for k in ("reason", "until", "text", "visibility")}
    try:
        services.perform(claim, actor, name, values)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{claim.order.number}: {DONE[name]}")
    # Back where the button was (the claim's page, the list, the board): a path on this site.
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return redirect(back)
    return redirect("claims:detail", claim_id=claim.pk)


@login_required
def letter_pdf(request, claim_id, level):
    actor = acting(request, *BACK_OFFICE)
    claim = get_scoped(_claims(actor), actor, pk=claim_id)
    letter = Letter.objects.filter(claim=claim, level=level).first()
    if letter is None or not letter.pdf:
        raise Http404("The letter has not been rendered yet.")
    return FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        filename=letter.pdf.name.rsplit("/", 1)[-1],
    )


@login_required
def run_list(request):
    actor = acting(request, *BACK_OFFICE)
    runs = scoped(DunningRun.objects.filter(dry_run=False).select_related("vendor"), actor)
    if not actor.is_staff:
        # A vendor sees the runs for its own vendor and the runs for everyone.
        runs = DunningRun.objects.filter(dry_run=False, vendor__isnull=True) | runs
    page = Paginator(runs.order_by("-started_at", "-id"), 25).get_page(request.GET.get("page"))
    return render(request, "claims/runs.html", {"page": page})


def _run(actor, run_id):
    runs = DunningRun.objects.filter(dry_run=False)
    run = runs.filter(pk=run_id).select_related("vendor").first()
    if run is None or (not actor.is_staff and run.vendor_id not in (None, actor.vendor_id)):
        raise Http404("run not found")
    return run


@login_required
def run_detail(request, run_id):
    actor = acting(request, *BACK_OFFICE)
    run = _run(actor, run_id)
    letters = scoped(Letter.objects.filter(run=run), actor).select_related(
        "claim__order", "claim__customer", "message"
    )
    page = Paginator(letters.order_by("pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/run.html",
        {"run": run, "page": page, "summary": [(k, run.summary.get(k, 0)) for k in SUMMARY]},
    )


@login_required
def run_print_file(request, run_id):
    actor = acting(request, "admin", "support")
    run = _run(actor, run_id)
    if not run.print_file:
        raise Http404("The print file is not ready yet.")
    return FileResponse(
        run.print_file.open("rb"),
        content_type="application/pdf",
        filename=run.print_file.name.rsplit("/", 1)[-1],
    )


SUMMARY = (
    "opened",
    "reopened",
    "paid",
    "letters_1",
    "letters_2",
    "handovers",
    "on_hold",
    "blocked",
)


@login_required
def letter_template(request, level, language):
    """An operator admin changes the words of a dunning letter, with a PDF preview on the
    newest claim (nothing is stored by the preview)."""
    from django.conf import settings as django_settings
    from django.http import HttpResponse

    from .letters import PLACEHOLDERS, render_letter, words

    actor = acting(request, "admin")
    if level not in (1, 2) or language not in dict(django_settings.LANGUAGES):
        raise Http404("no such letter")
    with translation.override(language):
        current = {k: str(v) for k, v in words(level, language).items()}
    values = {k: request.POST.get(k, current[k]) for k in ("subject", "intro", "closing")}
    errors = {}
    if request.method == "POST":
        if request.POST.get("preview"):
            sample = _sample_letter(level, language)
            if sample is None:
                messages.error(request, _("There is no claim yet to show a preview with."))
            else:
                pdf = render_letter(sample, template=values)
                return HttpResponse(pdf, content_type="application/pdf")
        else:
            try:
                services.save_template(actor, level=level, language=language, **values)
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(request, _("The letter's words are saved."))
                return redirect("claims:letter_template", level=level, language=language)
    return render(
        request,
        "claims/letter_template.html",
        {
            "level": level,
            "language": language,
            "values": values,
            "errors": errors,
            "placeholders": PLACEHOLDERS,
        },
        status=400 if errors else 200,
    )


def _sample_letter(level, language):
    """An unsaved letter on the newest claim, for the preview."""
    claim = Claim.objects.select_related("order", "customer", "vendor", "offer_link").first()
    if claim is None:
        return None
    owed = amounts_of(claim, services.today())
    return Letter(
        claim=claim,
        level=level,
        on=services.today(),
        principal=owed.principal,
        costs=owed.cancellation_costs,
        interest=owed.open_interest,
        fees=owed.fees - owed.paid_costs,
        total=owed.open_total,
        deadline=services.today() + timedelta(days=dunning.PAYMENT_DAYS),
        language=language,
    )


def waiting_claims(actor):
    """The start page's section: claims waiting for the vendor's review or approval."""
    claims = (
        services.waiting_for_vendor(scoped(Claim.objects.all(), actor))
        .select_related("customer", "order", "vendor")
        .order_by("opened_at", "pk")
    )
    return {
        "title": _("Claims waiting for review or approval"),
        "count": claims.count(),
        "url": reverse("claims:list") + "?status=waiting",
        "rows": [
            (
                f"{c.order.number} · {c.customer.full_name}",
                reverse("claims:detail", args=[c.pk]),
                c.vendor.name,
            )
            for c in claims[:5]
        ],
        "empty": _("No claim waits for a vendor's review or approval."),
    }


# --- the vendor's collection settings ("Inkasso (Beta)") -----------------------------------

SETTINGS_ROLES = ("admin", "vendor")


@login_required
def settings_index(request):
    """A vendor user goes to its own settings; an operator admin picks the vendor."""
    from standing.vendors.models import Vendor

    actor = acting(request, *SETTINGS_ROLES)
    if not actor.is_staff:
        if actor.vendor_id is None:
            raise Http404("no vendor")
        return redirect("claims:settings", vendor_id=actor.vendor_id)
    vendors = list(Vendor.objects.order_by("name"))
    rows = {row.vendor_id: row for row in CollectionSettings.objects.filter(vendor__in=vendors)}
    return render(
        request,
        "claims/settings_index.html",
        {"vendors": [(v, rows.get(v.pk)) for v in vendors]},
    )


def _field_label(name):
    try:
        return CollectionSettings._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - an old record may name a field since removed
        return name


@login_required
def collection_settings(request, vendor_id):
    """The vendor's collection settings: read and change them, with the 30-day rule of the
    dunning option, the last data update and the change history."""
    from standing.vendors.models import Vendor

    from .forms import CollectionSettingsForm

    actor = acting(request, *SETTINGS_ROLES)
    vendor = get_scoped(Vendor.objects.all(), actor, pk=vendor_id)
    row = services.settings_for(vendor)
    form = CollectionSettingsForm(request.POST or None, vendor=vendor, row=row)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.change_settings(vendor, actor, **form.values())
            except services.SettingsChangeRefused as refused:
                form.add_error("dunning_option", str(refused))
                status = 409
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
                status = 400
            else:
                messages.success(request, _("The collection settings are saved."))
                return redirect("claims:settings", vendor_id=vendor.pk)
        else:
            status = 400
        row = services.settings_for(vendor)
    history = services.settings_history(vendor)
    for entry in history:
        for change in entry["changes"]:
            change["label"] = _field_label(change["field"])
    return render(
        request,
        "claims/settings.html",
        {
            "vendor": vendor,
            "row": row,
            "form": form,
            "next_change": services.next_option_change(row),
            "today": services.today(),
            "history": history,
        },
        status=status,
    )


# --- the § 13a handover data on the claim's page --------------------------------------------


def handover_section(claim):
    """The claim's § 13a data for its page (with dates as dates and the cost kinds named), or
    None unless it is with the agency or waiting for the approval of the handover."""
    from standing.law import services as law

    from .handover import COST_LABELS, HANDED_OVER, PREVIEW, handover_record, prefetched

    if claim.status not in (*HANDED_OVER, *PREVIEW):
        return None
    claim = prefetched(Claim.objects.filter(pk=claim.pk)).get()
    record = handover_record(claim, rates=law.RateTable(law.base_rate_table()))
    return {
        **record,
        "contract_date": date.fromisoformat(record["contract"]["date"]),
        "through": date.fromisoformat(record["interest"]["through"]),
        "pieces": [
            {**p, "start": date.fromisoformat(p["from"]), "end": date.fromisoformat(p["to"])}
            for p in record["interest"]["pieces"]
        ],
        "cost_items": [
            {**c, "label": COST_LABELS.get(c["kind"], c["kind"])} for c in record["costs"]
        ],
    }


# --- "Übersicht Inkasso" ----------------------------------------------------------------------


@login_required
def statistics(request):
    """The collection overview: open amount by age, amounts recovered per month, claims per
    state, claims nearing limitation; the operator sees every vendor (with a vendor filter),
    a vendor its own claims."""
    from standing.vendors.models import Vendor

    from .statistics import overview

    actor = acting(request, *BACK_OFFICE)
    vendor = None
    vendors = []
    if actor.is_staff:
        vendors = list(Vendor.objects.order_by("name"))
        chosen = request.GET.get("vendor", "")
        if chosen.isdigit() and len(chosen) < 19:
            vendor = next((v for v in vendors if v.pk == int(chosen)), None)
    claims = scoped(Claim.objects.all(), actor)
    if vendor is not None:
        claims = claims.filter(vendor=vendor)
    context = overview(claims, services.today(), actor=actor, vendor=vendor)
    return render(
        request,
        "claims/statistics.html",
        {**context, "vendors": vendors, "vendor": vendor},
    )


@login_required
def my_letter(request, letter_id):
    """A dunning letter of the customer's own, as PDF (/me/; another customer's letter: 404)."""
    from standing.accounts.models import Role
    from standing.accounts.scoping import Actor

    customer = getattr(request.user, "customer", None)
    if request.user.role != Role.CUSTOMER or customer is None:
        raise Http404
    actor = Actor.of(request.user)
    letter = get_scoped(Letter.objects.filter(claim__customer=customer), actor, pk=letter_id)
    if not letter.pdf:
        raise Http404("The letter has not been rendered yet.")
    return FileResponse(
        letter.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=letter.pdf.name.rsplit("/", 1)[-1],
    )
