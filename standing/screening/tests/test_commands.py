import csv
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from standing.activity.models import ActivityRecord
from standing.customers.lifecycle import transition
from standing.customers.models import Customer, CustomerStatus
from standing.screening import denylist
from standing.screening.demo import demo_step
from standing.screening.models import DenyEntry, Finding, FindingState

HEADER = ",".join(denylist.COLUMNS) + "\n"


def write(tmp_path, text, name="liste.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_creates_entries_and_rescreens(
    tmp_path, customer_factory, support, django_capture_on_commit_callbacks, capsys
):
    customer = customer_factory(email="import@web.de", birth_date=date(1990, 1, 1))
    transition(customer, "verified", support)
    path = write(
        tmp_path,
        HEADER
        + "Jürgen,Müller-Lüdenscheidt,1970-07-07,,,,,,,,,Betrug\n"
        + ",,,Import@Web.de,,,,,,,,\n"
        + ",,,,0171 2345678,DE89 3704 0044 0532 0130 00,Gartenstr. 9,10115,Berlin,DE,L01X00T47,\n"
        + ",,,,,,,,,,,\n",
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("denylist", "import", path)
    assert "Imported 3" in capsys.readouterr().out
    assert DenyEntry.objects.count() == 3
    third = DenyEntry.objects.get(document_key="L01X00T47")
    assert (
        third.address_key == "gartenstrasse9|10115|DE"
        and third.iban_key == "DE89370400440532013000"
    )
    assert Finding.objects.get(customer=customer).state == FindingState.REVIEW
    assert ActivityRecord.objects.filter(action="denylist.imported", internal=True).exists()


def test_import_reports_every_bad_row_and_writes_nothing(tmp_path, db, capsys):
    path = write(
        tmp_path,
        HEADER
        + "Anna,Gut,1980-01-01,,,,,,,,,\n"
        + "Anna,Schlecht,17.05.1980,,,,,,,,,\n"
        + ",,,,12,,,,,,,\n"
        + ",,,,,,,,,,,nur eine Notiz\n"
        + ",,,kein-email,,DE00,,,,,,\n"
        + "Nul\x00,Zeichen,,,,,,,,,,\n",
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("denylist", "import", path)
    err = capsys.readouterr().err
    assert "line 3: birth_date" in err and "line 4: phone" in err and "line 5:" in err
    assert "line 6: email" in err and "line 6: iban" in err and "line 2" not in err
    assert "line 7: first_name" in err
    assert not DenyEntry.objects.exists()


def test_import_refuses_missing_columns_a_missing_file_and_binary(tmp_path, db):
    with pytest.raises(CommandError):
        call_command("denylist", "import", write(tmp_path, "first_name,last_name\nA,B\n"))
    with pytest.raises(CommandError, match="no file"):
        call_command("denylist", "import", str(tmp_path / "missing.csv"))
    binary = tmp_path / "bin.csv"
    binary.write_bytes(HEADER.encode() + b"\xff\xfe\x00garbage\n")
    with pytest.raises(CommandError):
        call_command("denylist", "import", str(binary))
    with pytest.raises(CommandError, match="no user"):
        call_command("denylist", "import", write(tmp_path, HEADER), "--user", "nobody")
    assert not DenyEntry.objects.exists()


def test_export_round_trips(tmp_path, listed, support_user, capsys):
    out = tmp_path / "export.csv"
    call_command("denylist", "export", "-o", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows[0]["last_name"] == "Betrüger" and rows[0]["document_number"] == "L01X 00T47"
    DenyEntry.objects.all().delete()
    call_command("denylist", "import", str(out), "--user", "support")
    imported = DenyEntry.objects.get()
    assert imported.document_key == "L01X00T47" and imported.added_by_label == "support"
    capsys.readouterr()
    call_command("denylist", "export")
    assert capsys.readouterr().out.startswith(HEADER.strip())


def test_bench_writes_its_figures(tmp_path, db):
    out = tmp_path / "bench.json"
    call_command("screening", "bench", "--entries", "300", "--probes", "10", "--output", str(out))
    figures = json.loads(out.read_text())
    assert figures["deny_list_entries"] == 300 and figures["probes"] == 10
    assert figures["probes_with_hits"] >= 5
    assert figures["match_ms"]["p50"] > 0 and figures["registration_ms"]["n"] == 10
    assert not Customer.objects.exists()  # the registrations were rolled back
    call_command("screening", "bench", "--entries", "300", "--probes", "4", "--output", str(out))
    assert json.loads(out.read_text())["loaded_now"] == 0


def test_reindex_rebuilds_keys(customer_factory, capsys):
    customer = customer_factory(email="Re.Index@GoogleMail.com")
    customer.screening_keys.delete()
    call_command("screening", "reindex")
    customer.refresh_from_db()
    assert customer.screening_keys.email_key == "reindex@gmail.com"


def test_demo_step_is_idempotent(customer_factory, support, admin_user):
    customers = [customer_factory(birth_date=date(1980, 1, i + 1)) for i in range(3)]
    for customer in customers:
        transition(customer, CustomerStatus.DENIED, support)

    class Command:
        class stdout:  # noqa: N801
            write = staticmethod(lambda text: None)

    demo_step(Command, {"admin": admin_user}, {})
    demo_step(Command, {"admin": admin_user}, {})
    labels = sorted(Finding.objects.values_list("kind", flat=True))
    assert labels == ["credit", "denylist", "payment_failed"]
    assert DenyEntry.objects.count() == 6


def test_a_bad_row_after_many_good_ones_rolls_everything_back(tmp_path, db, monkeypatch, capsys):
    monkeypatch.setattr(denylist, "CHUNK", 10)
    good = "".join(f"Anna,Muster{i},1980-01-01,,,,,,,,,\n" for i in range(35))
    path = write(tmp_path, HEADER + good + "Bad,Row,1980-02-30,,,,,,,,,\n")
    with pytest.raises(CommandError):
        call_command("denylist", "import", path)
    assert "line 37: birth_date" in capsys.readouterr().err
    assert not DenyEntry.objects.exists()
    path = write(tmp_path, HEADER + good, name="good.csv")
    call_command("denylist", "import", path)
    assert DenyEntry.objects.count() == 35
