"""The deny-list import at bulk-load speed: rows normalised in worker processes, the results
spooled between the check pass and the writing pass, written set-based; the same entries,
keys, line report, atomicity and dry run as row by row."""

import pytest
from django.core.management import CommandError, call_command

from standing.accounts.scoping import SYSTEM
from standing.screening import denylist
from standing.screening.models import DenyEntry

HEADER = ",".join(denylist.COLUMNS) + "\n"
ROWS = [
    "Jürgen,Müller-Lüdenscheidt,1970-03-04,Juergen.M@GoogleMail.com,0171 1234567,"
    "DE89 3704 0044 0532 0130 00,Hauptstr. 5,10115,Berlin,de,L01X00T47,Betrug\n",
    "Anna,Schmidt,1985-01-02,,,,,,,,,\n",
    ",,,,,,,,,,C 1234 567,\n",
    ",,,anna@web.de,,,,,,,,\n",
]


@pytest.fixture
def parallel(monkeypatch):
    # Small batches, each normalised by two worker processes.
    monkeypatch.setattr(denylist, "CHUNK", 3)
    monkeypatch.setattr(denylist, "PARALLEL_FROM", 1)


def file(tmp_path, rows, name="liste.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_parallel_import_gives_the_entries_and_keys_of_a_save(tmp_path, parallel):
    rows = ROWS * 5
    report = denylist.DenyListImport(SYSTEM, processes=2).apply(file(tmp_path, rows))
    assert report.applied == len(rows) == DenyEntry.objects.count()
    for entry in DenyEntry.objects.order_by("id"):
        stored = {c: getattr(entry, c) for c in denylist.KEY_COLUMNS}
        entry.compute_keys()  # what DenyEntry.save() derives
        assert stored == {c: getattr(entry, c) for c in denylist.KEY_COLUMNS}
    first = DenyEntry.objects.order_by("id").first()
    assert first.phone == first.phone_key == "+491711234567"
    assert first.iban == first.iban_key == "DE89370400440532013000"
    assert first.email_key == "juergenm@gmail.com"
    assert first.country == "DE" and first.added_by_label == SYSTEM.label
    # The ids are the rows' own (the re-screening is enqueued for them).
    ids = sorted(DenyEntry.objects.values_list("id", flat=True))
    assert len(set(ids)) == len(rows)
    # A later entry saved one by one gets a fresh id.
    later = DenyEntry.objects.create(last_name="Später")
    assert later.pk > max(ids)


@pytest.mark.django_db
def test_parallel_import_reports_every_bad_line_and_writes_nothing(tmp_path, parallel, capsys):
    rows = ROWS * 3 + ["Bad,Row,1980-02-30,,,,,,,,,\n"] + ROWS + [",,,no-mail,,,,,,,,\n"]
    path = file(tmp_path, rows)
    with pytest.raises(CommandError):
        call_command("denylist", "import", str(path))
    err = capsys.readouterr().err
    assert "line 14: birth_date" in err and "line 19: email" in err
    assert not DenyEntry.objects.exists()


@pytest.mark.django_db
def test_parallel_dry_run_writes_nothing(tmp_path, parallel, capsys):
    call_command("denylist", "import", str(file(tmp_path, ROWS * 4)), "--dry-run")
    assert "16 deny-list entries would be imported" in capsys.readouterr().out
    assert not DenyEntry.objects.exists()


# Rows that take every turn of the cleaning: accents and umlauts, a name with only a first
# name, cells with surrounding spaces, lower-case and missing countries, phones and IBANs
# written in several ways, a street without a postal code, over-long and wrong cells.
VARIED = [
    "  Zoë ,  Ørsted-Ça ,1999-12-31, Zoe.O@gmail.com ,+49 (30) 1234-5678,de89370400440532013000,"
    "Am Markt Pl. 3 , 10 115 ,Berlin,at,  c-12 34 ,\n",
    "Jürgen,,,,,,Hauptstraße 5,,,,,\n",
    "Anna,Schmidt,1985-01-02,,0049 171 1234567,,Hauptstr. 5,10115,Berlin,,,Notiz\n",
    ",,,,,,,,,,,nur eine Notiz\n",
    "Max,Muster,1985-13-02,,,,,,,,,\n",
    "Max,Muster,,max@,,,,,,,,\n",
    "Max,Muster,,,12,,,,,,,\n",
    "Max,Muster,,,,DE00 1234,,,,,,\n",
    "Max,Muster,,,,,,,,Deutschland,,\n",
    "Max," + "M" * 101 + ",,,,,,,,,,\n",
    "Max,Muster,,,,,,,,D1,,\n",
]


def _row_by_row(values):
    """What the import stored before it had a fast path: clean_entry, then the keys a
    DenyEntry's save() computes; or the problems by column."""
    from django.core.exceptions import ValidationError

    try:
        cleaned = denylist.clean_entry(dict(values))
    except ValidationError as error:
        return "error", error.message_dict
    entry = DenyEntry(**cleaned)
    entry.compute_keys()
    return "ok", tuple(cleaned[c] for c in denylist.COLUMNS) + tuple(
        getattr(entry, c) for c in denylist.KEY_COLUMNS
    )


def test_normalise_gives_what_row_by_row_gives(tmp_path, settings):
    import csv

    from standing.bench import generate

    path = tmp_path / "generated.csv"
    generate.denylist_csv(path, 3000, seed=7)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows += list(csv.DictReader([HEADER, *ROWS, *VARIED]))
    outcomes = [denylist.normalise(dict(values)) for values in rows]
    assert outcomes == [_row_by_row(values) for values in rows]
    assert {state for state, _ in outcomes} == {"ok", "error"}


@pytest.mark.django_db
def test_parallel_import_stores_what_row_by_row_stores(tmp_path, parallel):
    import csv

    good = [
        row for row in ROWS + VARIED if _row_by_row(next(csv.DictReader([HEADER, row])))[0] == "ok"
    ]
    assert len(good) >= 7
    rows = good * 3
    report = denylist.DenyListImport(SYSTEM, processes=2).apply(file(tmp_path, rows))
    assert report.applied == len(rows)
    stored = DenyEntry.objects.order_by("id").values_list(*denylist.COLUMNS, *denylist.KEY_COLUMNS)
    expected = [_row_by_row(values)[1] for values in csv.DictReader([HEADER, *rows])]
    assert list(stored) == expected
