"""Pages of screening: the public registration, "Abgelehnte Kund:innen", the deny list, and
the staff actions on hits. Staff only, except the registration; the rules live in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.scoping import STAFF, SYSTEM, acting, get_scoped
from standing.core.csvimport import CsvFileError, ImportRefused
from standing.core.errors import DomainError
from standing.core.http import redirect_back
from standing.customers.models import Customer, CustomerStatus
from standing.customers.search import search

from . import denylist as deny
from . import services
from .forms import DeniedFilterForm, DenyEntryForm, NewCustomerForm, RegistrationForm
from .models import (
    DENYING,
    DenyEntry,
    Finding,
    FindingState,
    Outcome,
    ReasonKind,
    Screening,
    Trigger,
)

# --- public registration -----------------------------------------------------------------


def register(request):
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register(SYSTEM, dict(form.cleaned_data))
        except ValidationError as error:
            # Only format problems of the input come back here, never a screening reason.
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("screening:register_done")
    status = 400 if form.errors else 200
    return render(request, "screening/register.html", {"form": form}, status=status)


def register_done(request):
    return render(request, "screening/register_done.html")


@login_required
def new_customer(request):
    """ "Kunde anlegen" for staff: screened like a registration, or taken over as it is."""
    actor = acting(request, *STAFF)
    form = NewCustomerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        intake = values.pop("intake")
        try:
            customer = services.create_by_staff(actor, values, intake)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Customer %(number)s created: %(status)s.")
                % {"number": customer.number, "status": customer.get_status_display()},
            )
            return redirect(customer.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "screening/new_customer.html", {"form": form}, status=status)


# --- "Abgelehnte Kund:innen" and the review list -------------------------------------------


def review_customers(kind=""):
    """Customers with hits to review, and PENDING customers held because the credit check
    gave no answer: both wait for a person. Found from the (indexed) findings and
    screenings, never by looking at every customer."""
    hits = Finding.objects.filter(state=FindingState.REVIEW)
    if kind:
        hits = hits.filter(kind=kind)
    waiting = Q(pk__in=hits.values("customer_id"))
    held = Screening.objects.filter(outcome=Outcome.HELD, customer__status=CustomerStatus.PENDING)
    if kind in ("", ReasonKind.CREDIT):
        waiting |= Q(pk__in=held.values("customer_id"))
    return Customer.objects.filter(waiting).annotate(
        held=Exists(held.filter(customer=OuterRef("pk")))
    )


def review_waiting(actor):
    """The start page's section: customers with hits to review or held for a person."""
    return {
        "title": _("To review"),
        "count": review_customers().count(),
        "url": reverse("screening:denied") + "?tab=review",
        "empty": _("No hits to review."),
    }


def denied_waiting(actor):
    """The start page's section: denied customers waiting for a decision."""
    denied = Customer.objects.filter(status=CustomerStatus.DENIED)
    return {
        "title": _("Denied customers to decide"),
        "count": denied.count(),
        "url": reverse("screening:denied"),
        "rows": [
            (f"{c.number} {c.full_name}", c.get_absolute_url(), "")
            for c in denied.order_by("-updated_at", "-id")[:5]
        ],
        "empty": _("No denied customers."),
    }


@login_required
def denied(request):
    acting(request, *STAFF)
    params = DeniedFilterForm(request.GET)
    params.is_valid()
    q, kind = params.cleaned_data.get("q", ""), params.cleaned_data.get("kind", "")
    review = request.GET.get("tab") == "review"
    if review:
        states, customers = [FindingState.REVIEW], review_customers(kind)
    else:
        states, customers = DENYING, Customer.objects.filter(status=CustomerStatus.DENIED)
        if kind:
            reasons = Finding.objects.filter(customer=OuterRef("pk"), state__in=DENYING, kind=kind)
            customers = customers.filter(Exists(reasons))
    shown = Finding.objects.filter(state__in=states).select_related("entry").order_by("kind", "id")
    customers = search(customers, q).prefetch_related(
        Prefetch("findings", queryset=shown, to_attr="shown")
    )
    page = Paginator(customers.order_by("-updated_at", "-id"), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "params": {"q": q, "kind": kind},
        "kinds": ReasonKind.choices,
        "review": review,
        "review_count": review_customers().count(),
    }
    template = "screening/denied.html#results" if request.htmx else "screening/denied.html"
    return render(request, template, context)


@login_required
@require_POST
def rerun(request, number):
    actor = acting(request, *STAFF)
    customer = get_scoped(Customer.objects.all(), actor, number=number)
    screening = services.screen(customer, actor, Trigger.MANUAL)
    if screening is None:
        messages.error(request, _("A deleted customer is not screened."))
    else:
        messages.success(
            request,
            _("Screening done: %(outcome)s.") % {"outcome": screening.get_outcome_display()},
        )
    return redirect_back(request, customer.get_absolute_url())


def _decide(request, finding_id, action, done):
    actor = acting(request, *STAFF)
    finding = get_object_or_404(Finding.objects.select_related("customer"), pk=finding_id)
    try:
        action(finding, actor)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect_back(request, finding.customer.get_absolute_url())


@login_required
@require_POST
def clear(request, finding_id):
    return _decide(request, finding_id, services.clear_finding, _("Marked as not a match."))


@login_required
@require_POST
def confirm(request, finding_id):
    return _decide(request, finding_id, services.confirm_finding, _("Hit confirmed."))


# --- the deny list ("Abgelehnt-Liste") -----------------------------------------------------


@login_required
def denylist(request, import_report=None, status=200):
    acting(request, *STAFF)
    q = request.GET.get("q", "")[:200]
    entries = deny.search_entries(DenyEntry.objects.all(), q)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "screening/denylist.html#results" if request.htmx else "screening/denylist.html"
    context = {"page": page, "q": q, "columns": ",".join(deny.COLUMNS)}
    return render(request, template, {**context, "import_report": import_report}, status=status)


@login_required
def denylist_import(request):
    """The CSV import as an upload; the line report is shown on the deny-list page."""
    actor = acting(request, *STAFF)
    if request.method != "POST":
        # The report page's own links (paging, search) lead back to the list.
        query = request.GET.urlencode()
        return redirect(reverse("screening:denylist") + (f"?{query}" if query else ""))
    upload = request.FILES.get("file")
    if upload is None:
        report = {"file": _("No file"), "problems": [_("Choose a CSV file to import.")]}
        return denylist(request, report, status=400)
    try:
        report = deny.DenyListImport(actor).apply(upload.file)
    except ImportRefused as refused:
        problems = [str(p) for p in refused.report.problems]
        return denylist(request, {"file": upload.name, "problems": problems}, status=400)
    except CsvFileError as error:
        return denylist(request, {"file": upload.name, "problems": [str(error)]}, status=400)
    return denylist(request, {"file": upload.name, "count": report.applied, "problems": []})


@login_required
def entry_edit(request, entry_id=None):
    actor = acting(request, *STAFF)
    entry = get_object_or_404(DenyEntry, pk=entry_id) if entry_id else None
    initial = {c: getattr(entry, c) for c in deny.COLUMNS} if entry else None
    data = request.POST if request.method == "POST" else None
    form = DenyEntryForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if entry:
                deny.update_entry(entry, actor, form.cleaned_data)
            else:
                deny.add_entry(actor, form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Deny-list entry saved."))
            return redirect("screening:denylist")
    status = 400 if form.errors else 200
    return render(
        request, "screening/entry_form.html", {"form": form, "entry": entry}, status=status
    )


@login_required
@require_POST
def entry_delete(request, entry_id):
    actor = acting(request, *STAFF)
    deny.remove_entry(get_object_or_404(DenyEntry, pk=entry_id), actor)
    messages.success(request, _("Deny-list entry removed."))
    return redirect("screening:denylist")


@login_required
def denylist_export(request):
    acting(request, *STAFF)
    q = request.GET.get("q", "")[:200]
    entries = deny.search_entries(DenyEntry.objects.all(), q)
    response = StreamingHttpResponse(deny.export_rows(entries), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="denylist.csv"'
    return response
