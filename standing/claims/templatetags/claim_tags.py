"""The rows of the claims lists, with each claim's status badges and action forms, written in
Python as Django's admin writes its change list's cells: a page of 25 rows was some 500 template
variables and conditions and two included templates per row, most of the boards' rendering
time (``standing bench``: the claims board over HTTP; ``bench/NOTES.md``, seventh session)."""

from functools import cache

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy

from standing.claims.models import ClaimStatus
from standing.core.links import labels, url_of_each
from standing.core.money import format_money

register = template.Library()

S = ClaimStatus
BADGE = {
    S.PAID: "bg-success",
    S.CANCELED: "bg-secondary",
    S.BLOCKED: "bg-danger",
    S.SENT_FOR_COLLECTION: "bg-dark",
    S.ON_HOLD: "bg-warning text-dark",
    S.OPEN: "bg-info text-dark",
}
NOTE = '<span class="badge bg-light text-dark border">{}</span>'


@register.simple_tag
def claim_status(claim, today=None):
    """The status badge, then what else staff must know at a glance: waits for review, paused
    until (from ``today`` on), reopened, address incomplete."""
    status = claim.status
    label = labels(ClaimStatus).get(status, status)
    html = [
        f'<span class="badge {BADGE.get(status, "bg-primary")}" data-status="{escape(status)}">'
        f"{escape(label)}</span>"
    ]
    if claim.waits_for_review:
        html.append(NOTE.format(escape(gettext("waits for review"))))
    if claim.paused_until and today and claim.paused_until >= today:
        until = f"{claim.paused_until:%d.%m.%Y}"
        html.append(NOTE.format(escape(gettext("paused until %(until)s") % {"until": until})))
    if claim.reopened:
        html.append(NOTE.format(escape(gettext("reopened"))))
    if claim.invalid_address:
        incomplete = gettext("address incomplete")
        html.append(f'<span class="badge bg-danger">{escape(incomplete)}</span>')
    return mark_safe(" ".join(html))


# The collection board words two buttons as its area's guide does (seed 003).
WORDING = {
    "claims": {"start_dunning": gettext_lazy("Pursue"), "cancel": gettext_lazy("Do not pursue")},
    "collection": {
        "start_dunning": gettext_lazy("Start dunning"),
        "cancel": gettext_lazy("Cancel the process"),
    },
}


@register.simple_tag(takes_context=True)
def claim_actions(context, claim, actions, next_url, wording="claims"):
    """The forms of ``actions`` (the names ``services.allowed_actions`` offers) for ``claim``,
    each posting to the claim's action URL and returning to ``next_url``."""
    return _action_forms(context, next_url, wording)(claim, actions)


def _action_forms(context, next_url, wording):
    """``claim_actions`` for one page: what every row shares (the forms in the page's language,
    the action URLs reversed once, the CSRF field, the return URL) is made here, once."""
    forms = _forms(get_language(), wording)
    urls = {name: url_of_each("claims:action", name) for name in forms}
    token = context.get("csrf_token")
    fill = {
        "csrf": (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'
            if token and token != "NOTPROVIDED"
            else ""
        ),
        "next": conditional_escape(next_url),
    }

    def render(claim, actions):
        wanted = set(actions)
        html = ['<div class="d-flex flex-wrap gap-1 claim-actions">']
        for name, form in forms.items():
            if name in wanted:
                html.append(form.format(url=urls[name](claim.pk), **fill))
        html.append("</div>")
        return mark_safe("\n".join(html))

    return render


# One form per action: a button, or a button that opens a small form asking for the reason.
_OPEN = (
    '<form method="post" action="{{url}}"{css}>{{csrf}}'
    '<input type="hidden" name="next" value="{{next}}">'
)
_BUTTON = (
    _OPEN + '<button class="btn btn-sm {css_button}" data-action="{name}">{label}</button></form>'
)
_ASKING = (
    '<details class="d-inline-block">'
    '<summary class="btn btn-sm {css_summary}" data-action="{name}">'
    "{summary}</summary>\n  " + _OPEN + "\n  {fields}"
    '<input class="form-control form-control-sm" name="reason" required maxlength="300"'
    ' placeholder="{placeholder}" aria-label="{reason}"><button class="btn btn-sm {css_button}">'
    "{label}</button></form></details>"
)
_UNTIL = (
    '<input class="form-control form-control-sm" type="date" name="until" required'
    ' aria-label="{until}">\n  '
)


@cache
def _forms(language, wording) -> dict[str, str]:
    """{action: its form, to be filled with ``url``, ``csrf`` and ``next``} in ``language``,
    in the order the buttons are shown."""

    def t(text):  # braces doubled: the form is formatted once more, per row
        return escape(text).replace("{", "{{").replace("}", "}}")

    words = {name: t(label) for name, label in WORDING[wording].items()}

    button = {"css": ""}
    asking = {"css": ' class="mt-1 d-flex gap-1"', "fields": "", "reason": t(gettext("Reason"))}
    return {
        "start_dunning": _BUTTON.format(
            **button, name="start_dunning", css_button="btn-warning", label=words["start_dunning"]
        ),
        "approve": _BUTTON.format(
            **button, name="approve", css_button="btn-success", label=t(gettext("Approve handover"))
        ),
        "release": _BUTTON.format(
            **button, name="release", css_button="btn-outline-primary", label=t(gettext("Release"))
        ),
        "cancel": _ASKING.format(
            **asking,
            name="cancel",
            css_summary="btn-outline-secondary",
            summary=words["cancel"],
            placeholder=t(gettext("Reason")),
            css_button="btn-secondary",
            label=t(gettext("Cancel claim")),
        ),
        "block": _ASKING.format(
            **asking,
            name="block",
            css_summary="btn-outline-danger",
            summary=t(gettext("Block")),
            placeholder=t(gettext("What must support clarify?")),
            css_button="btn-danger",
            label=t(gettext("Block claim")),
        ),
        "pause": _ASKING.format(
            **{**asking, "fields": _UNTIL.format(until=t(gettext("Until")))},
            name="pause",
            css_summary="btn-outline-secondary",
            summary=t(gettext("Pause")),
            placeholder=t(gettext("Reason (e.g. deferral agreed)")),
            css_button="btn-secondary",
            label=t(gettext("Pause dunning")),
        ),
    }


@register.simple_tag(takes_context=True)
def claim_rows(context, claims, next_url, wording="claims", board=False, staff=False):
    """The ``<tr>`` of each claim of a page (``services.annotate_rows`` prepared them): the
    claims list's columns, and on the collection board (``board``) a checkbox for the bulk
    actions before them, the vendor (``staff``) and the limitation date after them."""
    today = context.get("today")
    actions_of = _action_forms(context, next_url, wording)
    rows = []
    for claim in claims:
        order, url = claim.order, escape(claim.url)
        cells = []
        if board:
            select = gettext("Select %(order)s") % {"order": order.number}
            cells.append(
                '<td><input class="form-check-input" type="checkbox" name="ids" '
                f'value="{claim.pk}" form="bulk-form" aria-label="{escape(select)}"></td>'
            )
            actions = claim.row_actions
        else:
            actions = claim.actions
        cells.append(f"<td>{actions_of(claim, actions)}</td>")
        if board and staff:
            cells.append(f"<td>{escape(claim.vendor.name)}</td>")
        cells += [
            f'<td><a href="{url}">{escape(claim.customer.full_name)}</a></td>',
            f'<td class="text-nowrap"><a href="{url}">{escape(order.number)}</a></td>',
            f"<td>{escape(claim.plan_label)}</td>",
            f"<td>{claim_status(claim, today)}</td>",
            f'<td class="text-end">{claim.days_overdue}</td>',
            *(
                f'<td class="text-end text-nowrap">{escape(format_money(amount))}</td>'
                for amount in (claim.open_total, order.amount, order.paid_amount, claim.costs)
            ),
            f"<td>{escape(claim.dunning_option)}</td>",
        ]
        if board:
            warning = ""
            if claim.limitation_warning:
                soon = gettext("runs out soon")
                warning = (
                    f' <span class="badge bg-danger" data-limitation-warning>{escape(soon)}</span>'
                )

            until = f"{claim.limitation_date:%d.%m.%Y}" if claim.limitation_date else ""
            cells.append(f'<td class="text-nowrap">{until}{warning}</td>')
        data = f' data-order="{escape(order.number)}"' if board else ""
        rows.append(f'<tr data-claim="{claim.pk}"{data}>{"".join(cells)}</tr>')
    return mark_safe("\n".join(rows))
