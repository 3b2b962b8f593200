"""The collection pages: the board with its filters, sorting, row and bulk actions and CSV
download; the agency's feedback imports (operator staff). Thin: the rules are in ``board``,
``exchange``, ``feedback`` and the claims services; every query is scoped."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from standing.accounts.scoping import BACK_OFFICE, STAFF, acting
from standing.claims import services as claims
from standing.claims.models import ClaimStatus
from standing.core import pagination
from standing.vendors.models import Vendor

from . import board
from .exchange import exchange_lines
from .feedback import import_feedback
from .models import FeedbackImport

PAGE_SIZE = 25
MAX_UPLOAD = 20 * 1024 * 1024


def _back(request):
    back = request.POST.get("next", "")
    if back.startswith("/collection/") and "//" not in back:
        return redirect(back)
    return redirect("collection:board")


@login_required
def board_page(request):
    actor = acting(request, *BACK_OFFICE)
    filters = board.parse_filters(request.GET, actor)
    today = claims.today()
    qs = board.board_claims(actor, filters, today, amounts=False)
    # The page's ids first (cheap: the amounts are computed only where a filter or the sort
    # needs them), then the 25 claims with their amounts.
    ids = qs.order_by(*board.ordering(filters.sort)).values_list("pk", flat=True)
    page = pagination.EstimatingPaginator(ids, PAGE_SIZE, cap=pagination.EXACT_UP_TO).get_page(
        request.GET.get("page")
    )
    page.object_list = board.page_claims(list(page.object_list), today)
    claims.annotate_rows(page.object_list, actor, today)
    _prepare_rows(page.object_list, today)
    context = {
        "page": page,
        "filters": filters,
        "params": request.GET,
        "statuses": ClaimStatus.choices,
        "vendors": Vendor.objects.order_by("name") if actor.is_staff else [],
        "staff": actor.is_staff,
        "today": today,
        "sort": filters.sort,
        "export_url": reverse("collection:export") + _query(request),
        # The row buttons send the user back here.
        "next": request.get_full_path(),
        "columns": _columns(actor),
    }
    template = "collection/board.html#results" if request.htmx else "collection/board.html"
    return render(request, template, context)


# The buttons a row of the board shows (of the claim's ``actions``), in this order.
ROW_ACTIONS = ("start_dunning", "approve", "release", "cancel")


def _prepare_rows(rows, today):
    """What a row of the board shows beyond the claims list's (``claims.annotate_rows``)."""
    for claim in rows:
        claim.row_actions = [name for name in claim.actions if name in ROW_ACTIONS]
        claim.limitation_warning = board.limitation_warning(claim, today)


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return "?" + query.urlencode() if query else ""


def _columns(actor):
    """(label, sort key or None, numeric) of the board's columns (SPEC §7)."""
    columns = [
        (_("Customer"), "customer", False),
        (_("Order ID"), "order", False),
        (_("Payment plan"), "plan", False),
        (_("Collection status"), "status", False),
        (_("Days overdue"), "overdue", True),
        (_("Outstanding"), "open", True),
        (_("Order amount"), "amount", True),
        (_("Paid"), "paid", True),
        (_("Cancellation costs"), "costs", True),
        (_("Dunning option"), "option", False),
        (_("Time-barred after"), "limitation", False),
    ]
    if actor.is_staff:
        columns.insert(0, (_("Vendor"), "vendor", False))
    return columns


@login_required
def export(request):
    """ "CSV herunterladen": the exchange file of exactly the board's filtered rows."""
    actor = acting(request, *BACK_OFFICE)
    filters = board.parse_filters(request.GET, actor)
    if filters.errors:
        return render(
            request,
            "collection/refused.html",
            {"errors": filters.errors},
            status=400,
        )
    qs = board.board_claims(actor, filters)
    response = StreamingHttpResponse(
        (piece.encode() for piece in exchange_lines(qs, board.ordering(filters.sort))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="inkasso.csv"'
    return response


BULK_DONE = {
    "start_dunning": lambda n: ngettext(
        "Dunning started on %(n)s claim.", "Dunning started on %(n)s claims.", n
    ),
    "cancel": lambda n: ngettext("%(n)s claim cancelled.", "%(n)s claims cancelled.", n),
    "approve": lambda n: ngettext(
        "%(n)s claim approved for the collection agency.",
        "%(n)s claims approved for the collection agency.",
        n,
    ),
}


@login_required
@require_POST
def bulk(request):
    actor = acting(request, *BACK_OFFICE)
    try:
        result = board.bulk(
            actor,
            request.POST.get("action", ""),
            request.POST.getlist("ids"),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(request)
    n = len(result.changed)
    messages.success(request, BULK_DONE[result.action](n) % {"n": n})
    if result.refused:
        lines = "; ".join(f"{c.order.number}: {why}" for c, why in result.refused)
        messages.warning(
            request,
            ngettext(
                "%(n)s claim refused: %(lines)s",
                "%(n)s claims refused: %(lines)s",
                len(result.refused),
            )
            % {"n": len(result.refused), "lines": lines},
        )
    return _back(request)


@login_required
def imports(request):
    """The agency's feedback imports; operator staff upload a file here."""
    actor = acting(request, *STAFF)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose the agency's feedback file (CSV)."))
            return redirect("collection:imports")
        if upload.size > MAX_UPLOAD:
            messages.error(request, _("The file is larger than 20 MB."))
            return redirect("collection:imports")
        record = import_feedback(upload.read(), upload.name or "feedback.csv", actor)
        if record.outcome == "applied":
            messages.success(
                request,
                _("Feedback imported: %(rows)s rows, %(changed)s claims changed.")
                % {"rows": record.applied, "changed": record.changed},
            )
        else:
            messages.error(request, _("The feedback file was refused; nothing changed."))
        return redirect(record)
    page = Paginator(FeedbackImport.objects.all(), 25).get_page(request.GET.get("page"))
    return render(request, "collection/imports.html", {"page": page})


@login_required
def import_detail(request, import_id):
    acting(request, *STAFF)
    record = get_object_or_404(FeedbackImport, pk=import_id)
    return render(request, "collection/import.html", {"record": record})


@login_required
def import_file(request, import_id):
    acting(request, *STAFF)
    record = get_object_or_404(FeedbackImport, pk=import_id)
    if not record.file:
        raise Http404("no file")
    return FileResponse(
        record.file.open("rb"),
        content_type="text/csv",
        as_attachment=True,
        filename=record.file_name,
    )
