"""Deny-list changes re-screen existing customers in the background; hits go to review."""

from datetime import date

import pytest

from standing.customers.lifecycle import transition
from standing.screening import denylist, services
from standing.screening.models import ClearedMatch, Finding, FindingState, Trigger


def active_customer(customer_factory, support, **values):
    customer = customer_factory(**values)
    transition(customer, "verified", support)
    transition(customer, "active", support)
    return customer


def test_new_entry_puts_a_hit_before_staff_without_denying(
    customer_factory, support, entry, django_capture_on_commit_callbacks
):
    customer = active_customer(customer_factory, support, email="erika.neu@web.de")
    other = active_customer(customer_factory, support, email="someone@web.de")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        entry(email="Erika.Neu@web.de", note="Betrug")
    assert callbacks
    customer.refresh_from_db()
    assert customer.status == "active"
    finding = Finding.objects.get(customer=customer)
    assert (finding.state, finding.label) == (FindingState.REVIEW, "denylist: email")
    assert not Finding.objects.filter(customer=other).exists()
    # A second entry for the same email is a second hit of its own.
    with django_capture_on_commit_callbacks(execute=True):
        entry(email="erika.neu@web.de", note="doppelt")
    assert Finding.objects.filter(customer=customer, state=FindingState.REVIEW).count() == 2


def test_fuzzy_hit_on_a_new_entry_found_through_the_birth_date(
    customer_factory, support, entry, django_capture_on_commit_callbacks
):
    customer = active_customer(
        customer_factory,
        support,
        first_name="Jürgen",
        last_name="Müller Lüdenscheidt",
        birth_date=date(1970, 7, 7),
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry(first_name="Juergen", last_name="Müllerlüdenscheidt", birth_date=date(1970, 7, 7))
    assert Finding.objects.get(customer=customer).attribute == "name+birth_date"


def test_confirming_a_review_hit_denies(
    customer_factory, support, entry, django_capture_on_commit_callbacks
):
    customer = active_customer(customer_factory, support, phone="+49 160 5556667")
    with django_capture_on_commit_callbacks(execute=True):
        entry(phone="0160 5556667")
    finding = Finding.objects.get(customer=customer)
    services.confirm_finding(finding, support)
    customer.refresh_from_db()
    assert customer.status == "denied"
    assert Finding.objects.get(pk=finding.pk).state == FindingState.CONFIRMED
    assert customer.activity.filter(action="status.denied_after_review").exists()


def test_cleared_review_hit_never_comes_back(
    customer_factory, support, entry, django_capture_on_commit_callbacks
):
    customer = active_customer(customer_factory, support, email="clear@web.de")
    with django_capture_on_commit_callbacks(execute=True):
        listed = entry(email="clear@web.de")
    services.clear_finding(Finding.objects.get(customer=customer), support)
    assert ClearedMatch.objects.filter(customer=customer, entry=listed).exists()
    with django_capture_on_commit_callbacks(execute=True):
        denylist.update_entry(listed, support, {"email": "clear@web.de", "note": "edited"})
    assert (
        not Finding.objects.filter(customer=customer).exclude(state=FindingState.CLEARED).exists()
    )
    services.screen(customer, support, Trigger.MANUAL)
    assert customer.status == "active"
    assert (
        not Finding.objects.filter(customer=customer).exclude(state=FindingState.CLEARED).exists()
    )


def test_pending_customer_with_open_review_is_not_verified(
    customer_factory, support, entry, django_capture_on_commit_callbacks
):
    customer = customer_factory(email="wait@web.de", birth_date=date(1990, 1, 1))
    with django_capture_on_commit_callbacks(execute=True):
        entry(email="wait@web.de")
    assert customer.findings.get().state == FindingState.REVIEW
    run = services.screen(customer, support, Trigger.MANUAL)
    customer.refresh_from_db()
    assert run.outcome == "held" and customer.status == "pending"


def test_clearing_twice_or_a_credit_reason_is_refused(customer_factory, support, listed):
    customer = customer_factory(
        email="max.betrueger@gmail.com", last_name="Ablehnung", birth_date=date(1990, 1, 1)
    )
    services.screen(customer, support, Trigger.MANUAL)
    credit = customer.findings.get(kind="credit")
    hit = customer.findings.get(kind="denylist")
    services.clear_finding(hit, support)
    for finding, action in [
        (credit, services.clear_finding),
        (hit, services.clear_finding),
        (hit, services.confirm_finding),
    ]:
        with pytest.raises(services.FindingNotOpen):
            action(finding, support)


def test_rerun_of_a_denied_customer_adds_new_reasons(customer_factory, support, entry):
    customer = customer_factory(
        last_name="Ablehnung", email="neu@web.de", birth_date=date(1990, 1, 1)
    )
    assert services.screen(customer, support, Trigger.MANUAL).outcome == "denied"
    assert services.screen(customer, support, Trigger.MANUAL).outcome == "no_change"
    entry(email="neu@web.de")
    run = services.screen(customer, support, Trigger.MANUAL)
    assert run.outcome == "denied"
    assert [f.label for f in run.findings.all()] == ["denylist: email"]
    assert customer.findings.filter(state=FindingState.ACTIVE).count() == 2


# One existing customer, and for each deny-list attribute an entry that names only that
# attribute (as a person would add it): each must re-screen the customer into review.
PERSON = {
    "first_name": "Jana",
    "last_name": "Vollmer",
    "birth_date": date(1979, 3, 14),
    "email": "jana.vollmer@example.de",
    "phone": "+49 171 9876543",
    "iban": "DE89 3704 0044 0532 0130 00",
    "street": "Lindenweg 7",
    "postal_code": "50667",
    "city": "Köln",
    "document_number": "T22000129",
}


@pytest.mark.parametrize(
    ("values", "attribute"),
    [
        ({"email": "Jana.Vollmer@example.de"}, "email"),
        ({"phone": "0171 9876543"}, "phone"),
        ({"iban": "DE89370400440532013000"}, "iban"),
        ({"document_number": "t2200 0129"}, "document_number"),
        ({"street": "Lindenweg 7", "postal_code": "50667", "city": "Köln"}, "address"),
        (
            {
                "first_name": "Jana",
                "last_name": "Vollmer",
                "street": "Lindenweg 7",
                "postal_code": "50667",
                "city": "Köln",
            },
            "name+address",
        ),
        (
            {"first_name": "Jana", "last_name": "Vollmer", "birth_date": "1979-03-14"},
            "name+birth_date",
        ),
    ],
)
def test_a_new_entry_of_each_attribute_rescreens_existing_customers(
    customer_factory, support, entry, django_capture_on_commit_callbacks, values, attribute
):
    customer = active_customer(customer_factory, support, **PERSON)
    bystander = active_customer(
        customer_factory, support, first_name="Otto", last_name="Anders", email="o@web.de"
    )
    with django_capture_on_commit_callbacks(execute=True):
        entry(**values, note=f"nur {attribute}")
    finding = Finding.objects.get(customer=customer)
    assert (finding.state, finding.label) == (FindingState.REVIEW, f"denylist: {attribute}")
    assert not Finding.objects.filter(customer=bystander).exists()


def test_a_changed_document_number_refreshes_the_customers_keys(customer_factory, support):
    from standing.customers.services import update_customer

    customer = active_customer(customer_factory, support)
    assert customer.screening_keys.document_key == ""
    update_customer(customer, support, {"document_number": "L01X 00T47"})
    customer.screening_keys.refresh_from_db()
    assert customer.screening_keys.document_key == "L01X00T47"
