from standing.accounts.models import Role, User
from standing.activity.models import ActivityRecord
from standing.customers.models import Customer, CustomerVendor
from standing.screening.models import Finding, Screening
from standing.screening.tests.test_leaks import TIMESTAMP


def test_registration_creates_a_verified_customer_with_a_login(
    api_as, integration_user, registration
):
    response = api_as(integration_user).post("/registrations", registration())
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"number", "status"} and body["status"] == "verified"
    customer = Customer.objects.get(number=body["number"])
    assert (customer.phone, customer.street, customer.city) == (
        "+491712345678",
        "Lindenstraße 5",
        "Hamburg",
    )
    assert customer.user.role == Role.CUSTOMER and not customer.user.has_usable_password()
    assert customer.screenings.get().outcome == "passed"
    actions = list(customer.activity.values_list("action", flat=True))
    assert "status.screening_passed" in actions and "customer.created" in actions


def test_staff_token_may_register(api_as, support_user, registration):
    assert api_as(support_user).post("/registrations", registration()).status_code == 201


def test_bad_credit_denies_with_the_score(api_as, integration_user, registration):
    body = (
        api_as(integration_user).post("/registrations", registration(last_name="Ablehnung")).json()
    )
    assert body["status"] == "denied"
    finding = Finding.objects.get(customer__number=body["number"])
    assert finding.label == "credit: score 312 < 400" and finding.score == 312


def test_failed_initial_payment_denies(api_as, integration_user, registration):
    payment = {"provider": "paypal", "status": "failed", "reference": "PAY-1"}
    body = (
        api_as(integration_user)
        .post("/registrations", registration(initial_payment=payment))
        .json()
    )
    assert body["status"] == "denied"
    assert (
        Finding.objects.get(customer__number=body["number"]).label
        == "payment_failed: initial_payment"
    )


def test_completed_initial_payment_passes(api_as, integration_user, registration):
    payment = {"provider": "paypal", "status": "completed", "reference": "PAY-2"}
    body = (
        api_as(integration_user)
        .post("/registrations", registration(initial_payment=payment))
        .json()
    )
    assert body["status"] == "verified"


def test_deny_list_hit_denies_with_the_attribute(api_as, integration_user, registration, listed):
    body = (
        api_as(integration_user)
        .post("/registrations", registration(email="MaxBetrueger@gmail.com"))
        .json()
    )
    assert body["status"] == "denied"
    finding = Finding.objects.get(customer__number=body["number"])
    assert finding.label == "denylist: email" and finding.entry == listed


def test_bureau_failure_leaves_the_customer_pending(api_as, integration_user, registration):
    body = api_as(integration_user).post("/registrations", registration(last_name="Fehler")).json()
    assert body["status"] == "pending"
    assert Screening.objects.get(customer__number=body["number"]).outcome == "held"


def test_vendor_token_links_its_vendor(api_as, vendor1_user, registration, vendor1):
    integration = User.objects.create_user("shop1", role=Role.INTEGRATION, vendor=vendor1)
    body = api_as(integration).post("/registrations", registration()).json()
    assert CustomerVendor.objects.filter(customer__number=body["number"], vendor=vendor1).exists()


def test_bad_input_answers_422_and_changes_nothing(api_as, integration_user, registration):
    api = api_as(integration_user)
    for body in [
        registration(phone="12"),
        registration(birth_date="14.03.1990"),
        registration(email="not-an-email"),
        registration(iban="DE00 0000"),
        registration(address={"postal_code": "123"}),
        registration(address={"country": "Deutschland"}),
        registration(birth_date="2999-01-01"),
        registration(initial_payment={"provider": "paypal", "status": "maybe"}),
        {"first_name": "Only"},
        [],
    ]:
        response = api.post("/registrations", body)
        assert response.status_code == 422, body
        assert response.json()["detail"]
    assert not Customer.objects.exists() and not User.objects.filter(role=Role.CUSTOMER).exists()


def test_roles_without_the_right_are_refused(api_as, vendor1_user, registration, customer):
    assert api_as(vendor1_user).post("/registrations", registration()).status_code == 403
    assert api_as(None).post("/registrations", registration()).status_code == 401
    login = User.objects.create_user("kunde", role=Role.CUSTOMER)
    assert api_as(login).post("/registrations", registration()).status_code == 403
    assert Customer.objects.count() == 1


def test_evidence_in_the_activity_is_internal(api_as, integration_user, registration, listed):
    body = (
        api_as(integration_user)
        .post(
            "/registrations", registration(last_name="Ablehnung", email="max.betrueger@gmail.com")
        )
        .json()
    )
    run = ActivityRecord.objects.get(customer__number=body["number"], action="screening.run")
    assert run.internal and "Deny list: email" in run.after["findings"]
    public = ActivityRecord.objects.filter(customer__number=body["number"], internal=False)
    for record in public:
        text = TIMESTAMP.sub("", f"{record.summary} {record.before} {record.after}")
        assert "credit" not in text and "denylist" not in text and "312" not in text


def test_nul_characters_and_oversized_values_are_refused(api_as, integration_user, registration):
    api = api_as(integration_user)
    for body in [
        registration(first_name="A\x00B"),
        registration(address={"street": "Weg\x00 1"}),
        registration(email="a\x00@example.de"),
        registration(last_name="x" * 500),
        registration(initial_payment={"provider": "p\x00", "status": "failed", "reference": "r"}),
    ]:
        response = api.post("/registrations", body)
        # NUL characters are refused by the middleware (400) before validation (422).
        assert response.status_code in (400, 422), body
        assert "detail" in response.json()
    assert not Customer.objects.exists()
