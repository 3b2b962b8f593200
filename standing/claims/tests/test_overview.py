"""The staff start page shows the claims that wait for a vendor's review or approval."""

from datetime import date

from standing.claims.models import Claim, ClaimStatus


def test_start_page_lists_claims_waiting_for_the_vendor(
    client, support_user, collection, make_order, event, settings
):
    settings.LANGUAGE_CODE = "de"
    collection(auto_handover=False)
    waiting = make_order(number="WAIT-1")
    event(waiting, "payment_failed", date(2026, 1, 31), installment=1)
    claim = Claim.objects.get(order=waiting)
    assert claim.status == ClaimStatus.OPEN and claim.dunning_started_on is None

    client.force_login(support_user)
    html = client.get("/").content.decode()
    section = html.split('data-section="claims-waiting"', 1)[1].split("</div></div>", 1)[0]
    assert "Forderungen, die auf Prüfung oder Freigabe warten" in section
    assert 'data-count="1"' in section and "WAIT-1" in section
    assert f"/claims/{claim.pk}/" in section and "/claims/?status=waiting" in section


def test_start_page_says_when_no_claim_waits(client, support_user, db, settings):
    settings.LANGUAGE_CODE = "de"
    client.force_login(support_user)
    html = client.get("/").content.decode()
    section = html.split('data-section="claims-waiting"', 1)[1].split("</div></div>", 1)[0]
    assert 'data-count="0"' in section and "Keine Forderung wartet" in section
