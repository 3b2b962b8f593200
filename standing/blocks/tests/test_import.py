"""``standing blocks import-legacy FILE [--dry-run]``: all rows or none, idempotent, reported."""

import pytest
import time_machine
from django.core.management import CommandError, call_command

from standing.accounts.models import Role, User
from standing.activity.models import ActivityRecord
from standing.blocks.models import Block, BlockStatus

from .conftest import berlin

HEADER = "customer_number,since,until,reason,staff,note\n"
NOW = berlin(2026, 11, 23, 10, 0)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def legacy_file(tmp_path):
    def write(*rows, header=HEADER):
        path = tmp_path / "sperren.csv"
        path.write_text(header + "".join(f"{r}\n" for r in rows), encoding="utf-8")
        return str(path)

    return write


def run(path, *args):
    return call_command("blocks", "import-legacy", path, *args)


def test_imports_every_kind_once(legacy_file, customer_factory, support_user, capsys):
    a, b, c = customer_factory(), customer_factory(), customer_factory()
    User.objects.create_user(
        "wmaurer", first_name="Wolfgang", last_name="Maurer", role=Role.SUPPORT
    )
    path = legacy_file(
        f"{a.number},2026-11-01,2026-12-31,payment_deferral,support,Stundung bis Jahresende",
        f'{b.number},2025-03-01T09:15:00,,Fehlverhalten,Wolfgang Maurer,"Hausverbot, Filiale Nord"',
        f"{c.number},2024-01-10,2024-01-24,missing_documents,wmaurer,",
    )
    run(path)
    assert "3 block(s) imported, 0 skipped" in capsys.readouterr().out
    deferral = Block.objects.get(customer=a)
    assert deferral.starts_at == berlin(2026, 11, 1) and deferral.ends_at == berlin(2027, 1, 1)
    assert deferral.status == BlockStatus.ACTIVE and deferral.staff == support_user
    indefinite = Block.objects.get(customer=b)
    assert indefinite.ends_at is None and indefinite.reason.code == "misconduct"
    assert indefinite.note == "Hausverbot, Filiale Nord" and indefinite.staff.username == "wmaurer"
    # Ended before the import: arrives as expired, so the tick does not log it again.
    old = Block.objects.get(customer=c)
    assert old.status == BlockStatus.EXPIRED and not old.is_active(NOW)
    assert ActivityRecord.objects.filter(action="block.imported", actor=None).count() == 3

    run(path)
    assert "0 block(s) imported, 3 skipped" in capsys.readouterr().out
    assert Block.objects.count() == 3
    assert ActivityRecord.objects.filter(action="block.imported").count() == 3


def test_a_bad_row_imports_nothing_and_every_bad_row_is_reported(
    legacy_file, customer_factory, support_user, capsys
):
    good = customer_factory()
    path = legacy_file(
        f"{good.number},2026-11-01,2026-12-31,payment_deferral,support,ok",
        "K-999999,2026-11-01,,other,support,unknown customer",
        f"{good.number},01.11.2026,,other,support,German date",
        f"{good.number},2026-11-01,2026-10-01,other,support,until before since",
        f"{good.number},2026-11-01,,gibtsnicht,support,unknown reason",
        f"{good.number},2026-11-01,,other,niemand,unknown staff",
        f"{good.number},2026-11-01,,other",
        f'{good.number},2026-11-01,,other,support,"a note over',
        'two lines"',
        f"{good.number},,,other,support,no since",
    )
    with pytest.raises(CommandError) as error:
        run(path)
    assert "nothing was imported" in str(error.value)
    err = capsys.readouterr().err
    for line, needle in [
        (3, "unknown customer number 'K-999999'"),
        (4, "'since' is not an ISO date"),
        (5, "'until' lies before 'since'"),
        (6, "unknown reason 'gibtsnicht'"),
        (7, "unknown staff member 'niemand'"),
        (8, "expected 6 columns, found 4"),
        (11, "'since' is empty"),
    ]:
        assert f"line {line}: {needle}" in err, err
    assert "line 2:" not in err and "line 9:" not in err
    assert not Block.objects.exists()
    assert not ActivityRecord.objects.filter(action="block.imported").exists()


def test_dry_run_writes_nothing(legacy_file, customer, support_user, capsys):
    path = legacy_file(f"{customer.number},2026-11-01,,other,support,Notiz")
    run(path, "--dry-run")
    assert "1 block(s) would be imported" in capsys.readouterr().out
    assert not Block.objects.exists()
    bad = legacy_file(f"{customer.number},2026-11-01,,nonsense,support,Notiz")
    with pytest.raises(CommandError):
        run(bad, "--dry-run")
    assert not Block.objects.exists()


def test_the_same_row_twice_in_a_file_is_imported_once(legacy_file, customer, support_user, capsys):
    row = f"{customer.number},2026-11-01,,other,support,Notiz"
    run(legacy_file(row, row))
    out = capsys.readouterr().out
    assert "line 3: skipped, same as line 2" in out and "1 block(s) imported" in out
    assert Block.objects.count() == 1


@pytest.mark.parametrize(
    "content",
    [
        "number,since,until\nK-1,2026-01-01,\n",
        "",
    ],
)
def test_a_wrong_header_is_refused(tmp_path, content, db):
    path = tmp_path / "x.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run(str(path))
    assert "customer_number,since,until,reason,staff,note" in str(error.value)


def test_excel_files_in_windows_1252_with_semicolons_are_read(
    tmp_path, customer, support_user, capsys
):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        (HEADER.replace(",", ";") + f"{customer.number};2026-11-01;;other;support;Grüße – €\n")
        .replace("\n", "\r\n")
        .encode("cp1252")
    )
    run(str(path))
    out = capsys.readouterr().out
    assert "Read as Windows-1252 (Western European), separated by semicolon." in out
    assert Block.objects.get().note == "Grüße – €"


def test_a_missing_file_is_refused(tmp_path, db):
    with pytest.raises(CommandError) as error:
        run(str(tmp_path / "missing.csv"))
    assert "No such file" in str(error.value)


def test_oversized_fields_nul_bytes_and_open_quotes_are_reported_per_line(
    legacy_file, customer, support_user, capsys
):
    path = legacy_file(
        f"{customer.number},2026-11-01,,other,support,ok",
        f"{customer.number},2026-11-02,,other,support,{'x' * 140_000}",
        f"{customer.number},2026-11-03,,other,support,nul\x00byte",
        f"{customer.number},2026-11-04,,other,support,fine",
        f'{customer.number},2026-11-05,,other,support,"never closed',
        "and more",
    )
    with pytest.raises(CommandError, match="nothing was imported"):
        run(path)
    err = capsys.readouterr().err
    assert "line 3: a field is longer than 131072 characters" in err
    assert "line 4: note: contains a NUL byte" in err
    assert "line 6: a quoted field starts here and never ends" in err
    assert "line 2:" not in err and "line 5:" not in err and "Traceback" not in err
    assert not Block.objects.exists()


def test_a_byte_order_mark_and_crlf_are_fine(tmp_path, customer, support_user):
    path = tmp_path / "excel.csv"
    path.write_bytes(
        ("\ufeff" + HEADER + f"{customer.number},2026-11-01,,other,support,x\n")
        .replace("\n", "\r\n")
        .encode("utf-8")
    )
    run(str(path))
    assert Block.objects.count() == 1


def test_an_imported_block_blocks_and_can_be_lifted(legacy_file, customer, support_user, api_as):
    run(legacy_file(f"{customer.number},2026-11-01,,other,support,alt"))
    api = api_as(support_user)
    assert api.get(f"/customers/{customer.number}/standing").json()["blocked"] is True
    block = Block.objects.get()
    lifted = api.post(f"/customers/{customer.number}/blocks/{block.pk}/lift", {"reason": "alt"})
    assert lifted.status_code == 200
