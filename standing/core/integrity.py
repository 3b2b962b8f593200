"""``standing check-data``: does a database (a restored backup, say) hold together?

Each app may have an ``integrity`` module with ``CHECKS``: functions that yield one sentence
per problem found. They are found by app (like the admin's autodiscovery), so this module
imports no app above it. Checks are set-based queries, not loops over every row in Python.
"""

from decimal import Decimal
from importlib import import_module, util
from pathlib import Path
from string import Formatter

from django.apps import apps
from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, Q
from django.db.models.lookups import GreaterThan, LessThan


def checks():
    """(app label, check) of every installed app's ``integrity.CHECKS``."""
    for config in apps.get_app_configs():
        name = f"{config.name}.integrity"
        if config.name.startswith("standing.") and util.find_spec(name) is not None:
            for check in getattr(import_module(name), "CHECKS", ()):
                yield config.label, check


def run():
    """(number of checks run, [problem sentences])."""
    problems, count = [], 0
    for label, check in checks():
        count += 1
        problems.extend(f"{label}: {problem}" for problem in check())
    return count, problems


def files_match(queryset, field, folder):
    """Problems between the rows of ``queryset`` (their FileField ``field``) and the files
    under ``MEDIA_ROOT/folder``: a row whose file is missing, a file no row names."""
    root = Path(settings.MEDIA_ROOT)
    named = set(queryset.exclude(**{field: ""}).values_list(field, flat=True))
    for name in sorted(named):
        if not (root / name).is_file():
            yield f"the file {name} of a record is missing"
    base = root / folder
    if base.is_dir():
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if name not in named:
                yield f"the file {name} belongs to no record"


def invalid_choices(queryset, field, choices):
    """Rows whose ``field`` holds a value outside ``choices``."""
    wrong = queryset.exclude(**{f"{field}__in": [value for value, _label in choices]})
    for pk, value in wrong.values_list("pk", field)[:50]:
        yield f"{queryset.model._meta.model_name} {pk} has the invalid {field} {value!r}"


# Problems listed per check and kind at the most (the first ones name where to look).
LISTED = 50


def each_row(queryset, naming, sentence):
    """One problem per row of ``queryset`` (the first ``LISTED``): ``naming``, a format string
    over the row's fields ("claim {pk} (order {order__number})"), then ``sentence``."""
    fields = [name for _text, name, _spec, _conv in Formatter().parse(naming) if name]
    for row in queryset.values(*fields)[:LISTED]:
        yield f"{naming.format(**row)} {sentence}"


def repeated(queryset, *fields):
    """The ``fields`` values found in more than one row of ``queryset``, each with the number
    of rows ``n`` (the first ``LISTED``), for uniqueness the database may no longer guard."""
    return (
        queryset.order_by()
        .values(*fields)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by(*fields)[:LISTED]
    )


# Half a cent: SQLite sums decimals as floating point, so equal amounts may differ far below.
CENT_TOLERANCE = Decimal("0.005")


def apart(pairs):
    """A filter: any of the (expression, expression) ``pairs`` differ by half a cent or more."""
    condition = Q()
    for a, b in pairs:
        diff = ExpressionWrapper(a - b, output_field=DecimalField(max_digits=20, decimal_places=6))
        condition |= Q(GreaterThan(diff, CENT_TOLERANCE)) | Q(LessThan(diff, -CENT_TOLERANCE))
    return condition
