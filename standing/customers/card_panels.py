"""The card's own panels (documents, permissions, notes, logins, messages, activity),
registered in the panel registry like every other app's, so that each loads from its own URL
when it scrolls into view and refreshes alone after an action."""

from standing.accounts.scoping import BACK_OFFICE, STAFF, scoped

from . import services
from .forms import NoteForm
from .models import Grant
from .panels import Panel

ACTIVITY_PREVIEW = 8


def documents(request, customer, actor):
    return {"files": customer.files.all()}


def permissions(request, customer, actor):
    return {"rows": services.permission_rows(customer), "grant_choices": Grant.choices}


def notes(request, customer, actor):
    return {"notes": customer.notes.select_related("author")[:20], "form": NoteForm()}


def logins(request, customer, actor):
    return {}  # the login is read with the customer (customer.user)


def sent_messages(request, customer, actor):
    return {"messages": customer.messages.select_related("sent_by")[:10]}


def activity(request, customer, actor):
    # Scoped like every query: a vendor user sees entries about their own orders and the
    # customer's standing only (deny by default); internal entries are for staff.
    entries = scoped(customer.activity.select_related("actor"), actor)
    if not actor.is_staff:
        entries = entries.filter(internal=False)
    show_all = request.GET.get("activity") == "all"
    shown = list(entries if show_all else entries[: ACTIVITY_PREVIEW + 1])
    # Counted only when there is more than the preview shows ("Show all N entries").
    total = entries.count() if len(shown) > ACTIVITY_PREVIEW and not show_all else len(shown)
    return {
        "entries": shown if show_all else shown[:ACTIVITY_PREVIEW],
        "total": total,
        "show_all": show_all,
    }


staff, back_office = frozenset(STAFF), frozenset(BACK_OFFICE)
OWN_PANELS = [
    Panel("documents", "customers/panel_documents.html", documents, "main", 60, staff),
    Panel("permissions", "customers/panel_permissions.html", permissions, "main", 70, staff),
    Panel("notes", "customers/panel_notes.html", notes, "side", 60, staff),
    Panel("logins", "customers/panel_logins.html", logins, "side", 70, staff),
    Panel("messages-panel", "customers/panel_messages.html", sent_messages, "side", 80, staff),
    Panel("activity", "customers/panel_activity.html", activity, "side", 90, back_office),
]
