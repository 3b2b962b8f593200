"""Issue 9, item 9: ``standing backup``, ``standing restore`` and ``standing check-data``. A
backup is restored into a fresh database and a new process runs on it."""

import os
import subprocess
import sys
import tarfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from standing.accounts.scoping import Actor
from standing.billing import services as billing
from standing.billing.models import CostType, Document
from standing.core import integrity
from standing.customers.models import CustomerFile
from standing.orders import services as orders
from standing.orders.models import Installment, Order

STANDING = str(Path(sys.executable).with_name("standing"))


@pytest.fixture
def data(customer, vendor1, support_user, settings):
    staff = Actor.of(support_user)
    order = orders.create_order(
        staff,
        number="B-1",
        vendor=vendor1,
        customer=customer,
        amount=Decimal("90.00"),
        payment_method="invoice",
        created_at=timezone.now(),
        plan_kind="installments",
        count=3,
        first_due=date(2026, 1, 31),
    )
    deposit = CostType.objects.get(code="deposit")
    documents = [
        billing.store_pdf(
            billing.issue_document(customer, "invoice", deposit, [("K", 1, 9)], staff)
        )
        for _ in range(3)
    ]
    upload = CustomerFile.objects.create(
        customer=customer,
        file=ContentFile(b"Ausweis", name="ausweis.txt"),
        name="ausweis.txt",
        content_type="text/plain",
        size=7,
    )
    return {"order": order, "documents": documents, "file": upload}


def problems():
    return integrity.run()[1]


def test_a_sound_database_passes(data, capsys):
    assert problems() == []
    call_command("check_data")
    assert "OK:" in capsys.readouterr().out


def test_amounts_that_do_not_add_up_are_found(data):
    Order.objects.filter(pk=data["order"].pk).update(paid_amount=Decimal("10.00"))
    assert any("order B-1" in p for p in problems())
    with pytest.raises(CommandError, match="problem"):
        call_command("check_data")


def test_a_gap_in_the_document_numbers_is_found(data):
    middle = data["documents"][1]
    Document.objects.filter(pk=middle.pk).update(number=middle.number.replace("0002", "0009"))
    found = problems()
    assert any("numbers missing: 2" in p for p in found), found
    assert any("counter stands at 3" in p for p in found), found


def test_invalid_states_are_found(data):
    Installment.objects.filter(order=data["order"]).update(state="lost")
    assert any("invalid state 'lost'" in p for p in problems())


def test_files_without_records_and_records_without_files(data, settings):
    Path(data["file"].file.path).unlink()
    stray = Path(settings.MEDIA_ROOT) / "customers" / "999" / "stray.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"%PDF")
    found = problems()
    assert any("ausweis.txt of a record is missing" in p for p in found), found
    assert any("customers/999/stray.pdf belongs to no record" in p for p in found), found


def run(*args, env):
    done = subprocess.run(
        [STANDING, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restored_into_a_fresh_database_runs(data, tmp_path, settings):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "-o", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("media/customers/") for n in names)
    env = {
        **os.environ,
        "STANDING_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "DJANGO_SETTINGS_MODULE": "standing.settings",
    }
    restored_db = None
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    else:
        restored_db = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
            cursor.execute(f'CREATE DATABASE "{restored_db}"')
        db = connection.settings_dict
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{host}/{restored_db}"
    try:
        out = run("restore", str(archive), env=env)
        assert "OK:" in out  # restore ends with check-data
        shown = run(
            "shell",
            "--no-imports",
            "-c",
            "from standing.orders.models import Order; from standing.billing.models import "
            "Document; print(Order.objects.get().number, Document.objects.count())",
            env=env,
        )
        assert shown.split() == ["B-1", "3"]
        assert (tmp_path / "restored-media" / data["file"].file.name).read_bytes() == b"Ausweis"
        # A second restore over the data is refused unless asked for.
        done = subprocess.run(
            [STANDING, "restore", str(archive)], env=env, capture_output=True, text=True
        )
        if connection.vendor == "sqlite":
            assert done.returncode == 1 and "--replace" in done.stderr
        assert "OK:" in run("restore", "--replace", str(archive), env=env)
    finally:
        if restored_db:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')
