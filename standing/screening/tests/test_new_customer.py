""" "Kunde anlegen": staff create a customer, screened like a registration or taken over."""

from standing.customers.models import Customer, CustomerStatus


def _body(**values):
    return {
        "intake": "screen",
        "first_name": "Jana",
        "last_name": "Neukunde",
        "birth_date": "1990-03-14",
        "phone": "0171 2345678",
        "email": "jana.neu@example.de",
        "street": "Lindenstraße 5",
        "postal_code": "20095",
        "city": "Hamburg",
        "country": "DE",
        **values,
    }


def test_the_list_offers_it_to_staff_only(staff_client, client, vendor1_user):
    assert 'href="/new-customer/"' in staff_client.get("/customers/").content.decode()
    client.force_login(vendor1_user)
    assert 'href="/new-customer/"' not in client.get("/customers/").content.decode()
    assert client.get("/new-customer/").status_code == 403


def test_screened_like_a_registration(staff_client):
    response = staff_client.post("/new-customer/", _body())
    customer = Customer.objects.get(last_name="Neukunde")
    assert response.status_code == 302 and response["Location"] == customer.get_absolute_url()
    assert customer.status == CustomerStatus.VERIFIED and customer.screenings.exists()
    assert customer.user is not None


def test_screened_and_denied_by_the_deny_list(staff_client, listed):
    staff_client.post("/new-customer/", _body(email=listed.email))
    customer = Customer.objects.get(last_name="Neukunde")
    assert customer.status == CustomerStatus.DENIED


def test_taken_over_is_active_without_screening_and_mails(staff_client, mailoutbox):
    staff_client.post("/new-customer/", _body(intake="taken_over"))
    customer = Customer.objects.get(last_name="Neukunde")
    assert customer.status == CustomerStatus.ACTIVE and not customer.screenings.exists()
    assert customer.activity.filter(action="customer.taken_over").exists()
    assert not mailoutbox


def test_bad_input_is_shown_and_creates_nothing(staff_client):
    response = staff_client.post("/new-customer/", _body(postal_code="123", intake="nonsense"))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("invalid-feedback") >= 1 and not Customer.objects.exists()
    response = staff_client.post("/new-customer/", _body(postal_code="123"))
    assert response.status_code == 400 and "five digits" in response.content.decode()
    assert not Customer.objects.exists()
