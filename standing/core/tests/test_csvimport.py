"""The one CSV import: encodings and separators (named in the report), the header, line-
numbered problems per column in the user's language, all-or-nothing, dry run, batches."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from standing.core import csvimport
from standing.core.csvimport import Column, CsvFileError, CsvImport, ImportRefused, Skip
from standing.core.models import Sequence
from standing.core.money import parse_amount


def written():
    """The rows the importer wrote (not the ones migrations make, such as "registrations")."""
    return Sequence.objects.exclude(key="registrations")


class Counters(CsvImport):
    """Writes core Sequence rows: key and a money amount as its value in cents."""

    columns = [Column("key"), Column("amount", clean=parse_amount), Column("note", required=False)]
    batch_size = 3

    def __init__(self, fail_on=None):
        self.fail_on = fail_on
        self.batches = []

    def clean(self, row):
        if not row.values["key"].strip():
            raise ValidationError({"key": ["The key is empty."]})
        if row.values.get("note") == "skip me":
            return Skip("asked to")
        return row.values["key"].strip(), int(row.values["amount"] * 100)

    def write(self, items):
        self.batches.append([line for line, _value in items])
        for _line, (key, cents) in items:
            if key == self.fail_on:
                raise RuntimeError("disk full")
            Sequence.objects.create(key=key, last=cents)


def test_utf8_comma_applies_all_rows_in_batches(db):
    text = "key,amount,note\n" + "".join(f"k{i},{i}.50,\n" for i in range(7))
    importer = Counters()
    report = importer.apply(text.encode())
    assert (report.encoding, report.delimiter) == ("UTF-8", "comma")
    assert (report.rows, report.valid, report.applied) == (7, 7, 7)
    assert importer.batches == [[2, 3, 4], [5, 6, 7], [8]]
    assert Sequence.objects.get(key="k3").last == 350


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeffkey;amount;note\nÄpfel;1.00;Grüße\n".encode(), "UTF-8 with byte order mark"),
        ("key;amount;note\nÄpfel;1.00;Grüße – €\n".encode("cp1252"), "Windows-1252"),
        (b"key;amount;note\n\xc4pfel;1.00;\x81\n", "ISO-8859-1"),
    ],
)
def test_encodings_are_detected_and_named(db, data, encoding):
    report = Counters().apply(data)
    assert report.encoding.startswith(encoding) and report.delimiter == "semicolon"
    assert Sequence.objects.filter(key="Äpfel").exists()


def test_a_late_non_utf8_byte_still_switches_the_whole_file(db, monkeypatch):
    monkeypatch.setattr(csvimport, "READ_CHUNK", 16)
    rows = "".join(f"k{i},1.00,plain\n" for i in range(20))
    data = b"key,amount,note\n" + rows.encode() + "z,1.00,Straße\n".encode("cp1252")
    report = Counters().apply(data)
    assert report.encoding.startswith("Windows-1252")
    assert Sequence.objects.filter(key="z").exists()


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("key,note", "missing columns: amount"),
        ("key,amount,colour", "unknown columns: colour"),
        ("key,amount,key", "columns named twice: key"),
        ("", "The file is empty"),
    ],
)
def test_the_header_is_checked_and_problems_named(db, header, named):
    with pytest.raises(CsvFileError, match=named):
        Counters().apply(f"{header}\nk,1.00,\n".encode())
    assert not written().exists()


def test_every_bad_row_is_reported_with_line_and_column_and_nothing_written(db):
    text = (
        "key,amount,note\n"
        "good,1.00,\n"
        ",2.00,\n"  # line 3: empty key
        "x,1.005,\n"  # line 4: three decimals
        'y,2.00,"two\nlines"\n'  # lines 5-6: fine
        "z,abc,\n"  # line 7
        "w,1.00\n"  # line 8: a field short
        "v,1.00,skip me\n"  # line 9: skipped
    )
    report = Counters().validate_all(text.encode())
    assert [str(p) for p in report.problems] == [
        "line 3: key: The key is empty.",
        "line 4: amount: An amount has at most two decimal places.",
        "line 7: amount: Enter an amount such as 12.50, with a point and at most two decimal "
        "places.",
        "line 8: expected 3 columns, found 2",
    ]
    assert report.skipped == [(9, "asked to")]
    with pytest.raises(ImportRefused) as refused:
        Counters().apply(text.encode())
    assert len(refused.value.report.problems) == 4
    assert not written().exists()


def test_problems_are_told_in_the_users_language(db):
    with translation.override("de"):
        report = Counters().validate_all(b"key,amount,note\nk,1.005,\n")
        assert str(report.problems[0]).startswith("Zeile 2: amount: ")
        assert report.delimiter == "Komma"


def test_dry_run_checks_and_writes_nothing(db):
    report = Counters().apply(b"key,amount,note\na,1.00,\nb,2.00,\n", dry_run=True)
    assert report.dry_run and report.valid == 2 and report.applied == 0
    assert not written().exists()


def test_a_failure_while_writing_rolls_back_every_batch(db):
    text = "key,amount,note\n" + "".join(f"k{i},1.00,\n" for i in range(8))
    importer = Counters(fail_on="k6")
    with pytest.raises(RuntimeError):
        importer.apply(text.encode())
    assert len(importer.batches) == 3  # two batches were written before
    assert not written().exists()


def test_structural_problems_are_lines_of_the_report(db):
    text = (
        "key,amount,note\n"
        f"big,1.00,{'x' * 200_000}\n"
        "nul,1.00,a\x00b\n"
        'q,1.00,"ab"c\n'
        "ok,1.00,\n"
        'open,1.00,"never closed\n'
        "more\n"
    )
    report = Counters().validate_all(text.encode())
    assert [str(p) for p in report.problems] == [
        "line 2: a field is longer than 131072 characters",
        "line 3: note: contains a NUL byte",
        "line 4: a closing quote is followed by more text in the same field",
        "line 6: a quoted field starts here and never ends (a missing closing quote)",
    ]
    assert report.valid == 1


def test_files_and_streams_are_sources(db, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_bytes(b"key,amount\nf,1.00\n")
    assert Counters().apply(path).source == "liste.csv"
    with path.open("rb") as stream:
        assert Counters().validate_all(stream).valid == 1
        assert not stream.closed
    with pytest.raises(CsvFileError, match="No such file"):
        Counters().apply(tmp_path / "missing.csv")
