"""One CSV import: read, check every row, then apply all of it or nothing.

Used by the deny-list import, the legacy block import and the agency feedback import. An
import declares its columns and how a row is cleaned; this module does the rest:

- **reading**: UTF-8 with or without byte order mark, else Windows-1252 / ISO-8859-1 (as
  German Excel saves), detected over the whole file and named in the report; comma or
  semicolon as the separator, detected from the header and named too;
- **the header**: missing and unknown columns are named (and duplicates);
- **every row is validated before anything is applied**; each problem is reported with its
  line number, the column and the reason, in the user's language;
- **structural problems** (a field over the csv module's size limit, a NUL byte, a quote that
  never closes, the wrong number of fields) become a line of the report, never a traceback;
- **streaming**: the file is read twice (check, then apply) in batches, never held in memory;
- **applying** runs in one transaction, so a failure leaves nothing behind; ``dry_run``
  checks and reports without writing.

An import subclasses ``CsvImport``::

    class AgencyFeedback(CsvImport):
        columns = [Column("claim"), Column("amount", clean=parse_amount), Column("note", False)]

        def clean(self, row):            # row.values: {column: str}, row.line
            return Feedback(...)         # or raise ValidationError({column: [message]})

        def write(self, items):          # [(line, cleaned)] of one batch, inside the transaction
            ...

    report = AgencyFeedback(actor).apply(path, dry_run=True)
"""

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Encodings tried in this order; the first that decodes the whole file is used.
ENCODINGS = [
    ("utf-8-sig", gettext_lazy("UTF-8 with byte order mark")),
    ("utf-8", gettext_lazy("UTF-8")),
    ("cp1252", gettext_lazy("Windows-1252 (Western European)")),
    ("latin-1", gettext_lazy("ISO-8859-1 (Latin-1)")),
]
DELIMITERS = {",": gettext_lazy("comma"), ";": gettext_lazy("semicolon")}
READ_CHUNK = 1 << 20


class CsvFileError(Exception):
    """The file as a whole cannot be read: no header, a wrong header, not a file."""


@dataclass(frozen=True)
class Column:
    """A declared column: ``required`` columns must be in the header; ``clean`` (optional)
    turns the text of a cell into a value or raises ValidationError."""

    name: str
    required: bool = True
    clean: Callable[[str], Any] | None = None


@dataclass
class Row:
    line: int  # where the record starts in the file (the header is line 1)
    values: dict[str, str]


@dataclass(frozen=True)
class Skip:
    """``clean()`` or ``check()`` returns this for a row that is fine but not to be applied
    (already imported, a repeat of an earlier line)."""

    reason: str


@dataclass
class Problem:
    line: int
    column: str | None
    message: str

    def __str__(self):
        if self.column:
            return _("line %(line)s: %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Report:
    """What an import found and did: the file's encoding and separator, how many rows were
    good, which were skipped (and why) and every problem with its line and column."""

    source: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0  # data rows read (blank ones not counted)
    valid: int = 0  # rows that would be (or were) applied
    skipped: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: int = 0
    dry_run: bool = False

    @property
    def ok(self):
        return not self.problems

    def problem(self, line, column, message):
        self.problems.append(Problem(line, column, str(message)))

    def add_error(self, line, error: ValidationError):
        """Every message of ``error``: by column when it names them, else for the row."""
        if hasattr(error, "error_dict"):
            for column, messages in error.message_dict.items():
                for message in messages:
                    self.problem(line, None if column == "__all__" else column, message)
        else:
            for message in error.messages:
                self.problem(line, None, message)

    def describe_file(self):
        return _("Read as %(encoding)s, separated by %(delimiter)s.") % {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
        }


class ImportRefused(Exception):
    """Raised by ``apply()`` when any row has a problem: nothing was written."""

    def __init__(self, report: Report):
        self.report = report
        super().__init__(
            _("%(n)s problem(s) in %(file)s; nothing was imported.")
            % {"n": len(report.problems), "file": report.source or "CSV"}
        )


# --- reading --------------------------------------------------------------------------------
def _open(source):
    """A binary, seekable stream of ``source`` (a path, bytes or a binary file) and its name."""
    if isinstance(source, bytes):
        return io.BytesIO(source), "CSV"
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            return path.open("rb"), path.name
        except OSError as error:
            raise CsvFileError(f"{source}: {error.strerror}") from None
    name = Path(getattr(source, "name", "") or "CSV").name
    return source, name


def detect_encoding(stream) -> tuple[str, str]:
    """(codec, label) of the first encoding in ENCODINGS that decodes the whole stream."""
    stream.seek(0)
    start = stream.read(3)
    candidates = ENCODINGS[:1] if start.startswith(codecs.BOM_UTF8) else ENCODINGS[1:]
    for codec, label in candidates:
        stream.seek(0)
        decoder = codecs.getincrementaldecoder(codec)()
        try:
            while chunk := stream.read(READ_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return codec, str(label)
    return ENCODINGS[-1][0], str(ENCODINGS[-1][1])  # pragma: no cover - latin-1 decodes all


class CsvImport:
    """Subclass it: declare ``columns``, implement ``clean`` and ``write``; optionally
    ``start`` (per pass, before the first row: lookups), ``prepare`` (per batch, before its
    rows are cleaned: set-based lookups), ``check`` (per batch, after cleaning: duplicates,
    rows imported before) and ``finish`` (after the last write, in the transaction)."""

    columns: list[Column] = []
    # Unknown header columns are refused (named); set True to ignore them instead.
    allow_unknown_columns = False
    batch_size = 2000

    # --- hooks ---------------------------------------------------------------------------
    def start(self, report: Report):
        pass

    def prepare(self, rows: list[Row]):
        pass

    def clean(self, row: Row):
        """The cleaned value of ``row`` (its cells already passed their column's ``clean``,
        found in ``row.values``); raise ValidationError to refuse it, return Skip to skip."""
        return row.values

    def check(self, items: list[tuple[int, Any]], report: Report) -> list[tuple[int, Any]]:
        """The batch's cleaned items that are to be applied (may add skips to ``report``)."""
        return items

    def write(self, items: list[tuple[int, Any]]):
        raise NotImplementedError

    def finish(self, report: Report):
        pass

    # --- the two passes ----------------------------------------------------------------------
    def validate_all(self, source) -> Report:
        """Check every row; write nothing. The report names every problem."""
        stream, name = _open(source)
        try:
            return self._run(stream, name, apply=False)
        finally:
            if stream is not source:
                stream.close()

    def apply(self, source, *, dry_run=False) -> Report:
        """Check every row; if all are fine (and not ``dry_run``), apply them atomically.
        Raises ImportRefused (with the report) when any row has a problem."""
        stream, name = _open(source)
        try:
            report = self._run(stream, name, apply=False)
            report.dry_run = dry_run
            if not report.ok:
                raise ImportRefused(report)
            if dry_run:
                return report
            with transaction.atomic():
                applied = self._run(stream, name, apply=True)
                if not applied.ok:  # pragma: no cover - the file changed between the passes
                    raise ImportRefused(applied)
                applied.dry_run = False
                self.finish(applied)
            return applied
        finally:
            if stream is not source:
                stream.close()

    def _run(self, stream, name, *, apply) -> Report:
        report = Report(source=name)
        codec, report.encoding = detect_encoding(stream)
        stream.seek(0)
        text = io.TextIOWrapper(stream, encoding=codec, newline="")
        try:
            header_line = text.readline()
            if not header_line.strip():
                raise CsvFileError(
                    _("The file is empty; the first line must name the columns: %(columns)s")
                    % {"columns": ",".join(c.name for c in self.columns)}
                )
            delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
            report.delimiter = str(DELIMITERS[delimiter])
            header = [
                h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))
            ]
            self._check_header(header)
            self.start(report)
            batch = []
            for row in self._rows(text, header, delimiter, report):
                batch.append(row)
                if len(batch) >= self.batch_size:
                    self._batch(batch, report, apply)
                    batch = []
            if batch:
                self._batch(batch, report, apply)
        finally:
            text.detach()  # leave the binary stream open for the second pass
        report.problems.sort(key=lambda p: p.line)
        return report

    def _check_header(self, header):
        known = {c.name for c in self.columns}
        missing = [c.name for c in self.columns if c.required and c.name not in header]
        unknown = [h for h in header if h not in known]
        repeated = sorted({h for h in header if header.count(h) > 1})
        problems = []
        if missing:
            problems.append(_("missing columns: %(c)s") % {"c": ", ".join(missing)})
        if unknown and not self.allow_unknown_columns:
            problems.append(_("unknown columns: %(c)s") % {"c": ", ".join(unknown)})
        if repeated:
            problems.append(_("columns named twice: %(c)s") % {"c": ", ".join(repeated)})
        if problems:
            raise CsvFileError(
                _("The header (line 1) does not fit: %(problems)s. Expected: %(columns)s")
                % {
                    "problems": "; ".join(problems),
                    "columns": ",".join(c.name for c in self.columns),
                }
            )

    def _rows(self, text, header, delimiter, report):
        """Rows of the file after the header; structural problems go into the report."""
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        reader_line = 1  # the header was read already
        while True:
            start = reader_line + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                report.rows += 1
                report.problem(start, None, _structural(error))
                reader_line = 1 + reader.line_num
                continue
            reader_line = 1 + reader.line_num
            joined = "".join(values)  # one look at the whole record for the rare cases
            if not joined.strip():
                continue
            report.rows += 1
            if len(values) != len(header):
                report.problem(
                    start,
                    None,
                    _("expected %(n)s columns, found %(found)s")
                    % {"n": len(header), "found": len(values)},
                )
                continue
            cells = dict(zip(header, values, strict=True))
            if "\x00" not in joined:
                yield Row(start, cells)
                continue
            for column, value in cells.items():
                if "\x00" in value:
                    report.problem(start, column, _("contains a NUL byte"))

    def _batch(self, rows, report, apply):
        self.prepare(rows)
        items = []
        cleaning = [column for column in self.columns if column.clean]
        for row in rows:
            try:
                errors = {}
                for column in cleaning:
                    if column.name in row.values:
                        try:
                            row.values[column.name] = column.clean(row.values[column.name])
                        except ValidationError as error:
                            errors[column.name] = error.messages
                if errors:
                    raise ValidationError(errors)
                value = self.clean(row)
            except ValidationError as error:
                report.add_error(row.line, error)
                continue
            if isinstance(value, Skip):
                report.skipped.append((row.line, value.reason))
            else:
                items.append((row.line, value))
        items = self.check(items, report)
        report.valid += len(items)
        if apply and report.ok and items:
            self.write(items)
            report.applied += len(items)
        report.skipped.sort()


def _structural(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return _("a field is longer than %(n)s characters") % {"n": csv.field_size_limit()}
    if "unexpected end of data" in text or "EOF" in text:
        return _("a quoted field starts here and never ends (a missing closing quote)")
    if "expected after" in text:
        return _("a closing quote is followed by more text in the same field")
    return _("unreadable CSV: %(error)s") % {"error": text}


def run_command(command, importer: CsvImport, path, *, dry_run=False) -> Report:
    """The management commands' part of an import: print the file's encoding and separator,
    the skipped rows (stdout) and every problem (stderr); raise CommandError when nothing was
    imported. Returns the report for the command's own summary line."""
    from django.core.management.base import CommandError

    try:
        report = importer.apply(path, dry_run=dry_run)
    except CsvFileError as error:
        raise CommandError(str(error)) from None
    except ImportRefused as refused:
        report = refused.report
        command.stdout.write(report.describe_file())
        for problem in report.problems:
            command.stderr.write(str(problem))
        raise CommandError(
            _(
                "%(n)s problem(s) in %(file)s; nothing was imported. Correct them and run the "
                "import again."
            )
            % {"n": len(report.problems), "file": report.source}
        ) from None
    command.stdout.write(report.describe_file())
    for line, why in report.skipped:
        command.stdout.write(_("line %(line)s: skipped, %(why)s") % {"line": line, "why": why})
    return report
