"""The customer list and the customer card ("Kundenkarte"); the rules live in services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from standing.accounts.scoping import BACK_OFFICE, STAFF, acting, get_scoped, scoped
from standing.core import links
from standing.core.errors import DomainError
from standing.core.pagination import EstimatingPaginator

from . import access, outbox, services
from .forms import MasterDataForm, MessageForm, NoteForm, PermissionsForm, UploadForm
from .models import Customer, CustomerFile, CustomerGroup, CustomerStatus
from .panels import LIST_ACTIONS, panel_for, panels_for
from .search import customer_ids, customers_of
from .standing import blocked_until, standing

# A search or filter counts this many matching customers at most ("more than 1,000"): a
# common last name among a million customers need not be counted to the last one.
LIST_CAP = 1_000


def _customer(request, number, actor=None):
    actor = actor or acting(request, *BACK_OFFICE)
    # The login ("Zugänge") and the group show on the card: read with the customer.
    return get_scoped(Customer.objects.select_related("group", "user"), actor, number=number)


@login_required
def customer_list_view(request):
    actor = acting(request, *BACK_OFFICE)
    params = request.GET
    listed = customer_ids(
        scoped(Customer.objects.all(), actor),
        q=params.get("q", ""),
        status=params.get("status", "") if params.get("status") in CustomerStatus.values else "",
        group=params.get("group", "") if params.get("group", "").isdigit() else "",
        blocked={"1": True, "0": False}.get(params.get("blocked")),
    )
    # The page's ids first (from the indexes alone), then its rows.
    page = EstimatingPaginator(listed, 25, cap=LIST_CAP).get_page(params.get("page"))
    rows = customers_of(list(page.object_list))
    blocked = blocked_until([c.pk for c in rows])
    # The labels translated once per page, the card's URL reversed once (``core.links``).
    statuses, card = links.labels(CustomerStatus), links.url_of_each("customers:card")
    for row in rows:
        row.blocked, row.blocked_until = row.pk in blocked, blocked.get(row.pk)
        row.url, row.status_label = card(row.number), statuses[row.status]
    page.object_list = rows
    context = {
        "page": page,
        "statuses": CustomerStatus.choices,
        "groups": CustomerGroup.objects.all(),
        # Every filter's value, "" where not given: a key missing from the query string costs
        # the template a failed lookup on each option of its select.
        "params": {key: params.get(key, "") for key in ("q", "status", "group", "blocked")},
        "list_actions": [
            {"label": label, "url": reverse(name), "icon": icon}
            for label, name, icon, roles in LIST_ACTIONS
            if actor.role in roles
        ],
    }
    template = "customers/list.html#results" if request.htmx else "customers/list.html"
    return render(request, template, context)


@login_required
def card(request, number):
    actor = acting(request, *BACK_OFFICE)
    customer = _customer(request, number, actor)
    if customer.merged_into_id:
        # A merged-away number leads to the customer it lives on in.
        messages.info(
            request,
            _("%(number)s was merged into %(other)s.")
            % {"number": customer.number, "other": customer.merged_into.number},
        )
        return redirect(customer.merged_into)
    context = {
        "customer": customer,
        "actor": actor,
        "standing": standing(customer),
        "main_panels": panels_for(request, customer, actor, "main"),
        "side_panels": panels_for(request, customer, actor, "side"),
    }
    return render(request, "customers/card.html", context)


@login_required
def panel(request, number, key):
    """One card panel alone: the card's lazy panels load from here when they scroll into view,
    and HTMX refreshes a panel here after an action. The same scoping (another vendor's
    customer is not found) and the same deny-by-default roles as on the card."""
    actor = acting(request, *BACK_OFFICE)
    customer = _customer(request, number, actor)
    found = panel_for(request, customer, actor, key)
    if found is None:
        raise Http404("no such panel")
    context = {"customer": customer, "actor": actor, "panel": found["ctx"]}
    return render(request, found["template"], context)


@login_required
def edit(request, number):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    if customer.merged_into_id:
        return redirect(customer.merged_into)
    form = MasterDataForm(request.POST or None, instance=Customer.objects.get(pk=customer.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(customer, actor, form.changed_values())
        except ValidationError as error:
            for field, errs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Master data saved."))
            if request.htmx:
                # The master data alone: not every panel of the card for one partial.
                response = render(
                    request,
                    "customers/card.html#masterdata",
                    {"customer": customer, "actor": actor},
                )
                response["HX-Trigger"] = "activityChanged"
                return response
            return redirect("customers:card", number=number)
    template = "customers/edit.html#form" if request.htmx else "customers/edit.html"
    return render(
        request, template, {"customer": customer, "form": form}, status=400 if form.errors else 200
    )


def _back(request, customer, anchor):
    return redirect(f"{customer.get_absolute_url()}#{anchor}")


@login_required
@require_POST
def add_note(request, number):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(customer, actor, form.cleaned_data["text"])
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("The note is empty."))
    return _back(request, customer, "notes")


@login_required
@require_POST
def upload(request, number):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return _back(request, customer, "documents")
    try:
        services.upload_file(customer, actor, form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Document uploaded."))
    return _back(request, customer, "documents")


@login_required
def download(request, number, file_id):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    stored = get_scoped(CustomerFile.objects.filter(customer=customer), actor, pk=file_id)
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)


@login_required
@require_POST
def delete_file(request, number, file_id):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    stored = get_scoped(CustomerFile.objects.filter(customer=customer), actor, pk=file_id)
    services.delete_file(stored, actor)
    messages.success(request, _("Document deleted."))
    return _back(request, customer, "documents")


@login_required
@require_POST
def resend_message(request, number, message_id):
    """Staff send an email the outbox gave up on once more."""
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    message = get_object_or_404(customer.messages, pk=message_id)
    try:
        outbox.send_again(message, actor)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The email is queued again."))
    return _back(request, customer, "messages-panel")


@login_required
def send_message(request, number):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    form = MessageForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.send_message(
                customer,
                actor,
                form.cleaned_data["subject"],
                form.cleaned_data["body"],
                [f.pk for f in form.cleaned_data["attachments"]],
            )
        except ValidationError as error:
            for field, errs in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(
                request, _("The email is on its way to %(to)s.") % {"to": customer.email}
            )
            return _back(request, customer, "messages")
    template = "customers/message.html#form" if request.htmx else "customers/message.html"
    return render(
        request, template, {"customer": customer, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def set_permissions(request, number):
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    form = PermissionsForm(request.POST, customer=customer)
    if form.is_valid():
        services.set_permissions(customer, actor, form.cleaned_data)
        messages.success(request, _("Permissions saved."))
    else:
        messages.error(request, _("Choose inherit, allow or deny for each permission."))
    return _back(request, customer, "permissions")


@login_required
@require_POST
def login_action(request, number, action):
    """The logins panel ("Zugänge"): invite / resend, set a new password, delete the login."""
    actor = acting(request, *STAFF)
    customer = _customer(request, number, actor)
    try:
        if action == "invite":
            access.invite(customer, actor)
            messages.success(request, _("Invitation sent to %(to)s.") % {"to": customer.email})
        elif action == "password":
            access.set_password(customer, actor, request.POST.get("password", ""))
            messages.success(request, _("New password set."))
        elif action == "delete":
            access.delete_login(customer, actor)
            messages.success(request, _("Login deleted."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except DomainError as error:
        messages.error(request, str(error))
    return _back(request, customer, "logins")
