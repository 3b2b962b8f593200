"""Who is acting, and the one place where every query is narrowed to what they may see.

Each scoped model names the path to its vendor in ``vendor_scope`` (a Q factory taking the
vendor id) and, where customers may look, the path to its customer login in
``customer_scope``. ``scoped()`` applies them; views and API routers never filter by vendor
themselves, so a record of another vendor is simply not found (404).
"""

import functools
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import STAFF_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user: object
    role: str
    vendor_id: int | None = None

    @classmethod
    def of(cls, user, scope=None):
        role = scope or user.role
        return cls(user=user, role=role, vendor_id=user.vendor_id)

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES

    @property
    def is_admin(self):
        return self.role == Role.ADMIN

    @property
    def label(self):
        return self.user.username if self.user else "system"


SYSTEM = Actor(user=None, role=Role.ADMIN)


def scoped(queryset, actor: Actor):
    """``queryset`` narrowed to the rows ``actor`` may see. Depends on the actor only through
    its role, whether it has a vendor and the ids (``scoped_key_sql`` compiles it once per
    role and vendor-or-not)."""
    model = queryset.model
    if actor.is_staff:
        return queryset
    if actor.role == Role.CUSTOMER:
        path = getattr(model, "customer_scope", None)
        return queryset.filter(path(actor.user.pk)) if path else queryset.none()
    if actor.vendor_id is None:
        # An operator-wide integration (a single business's shop) sees what staff see.
        return queryset if actor.role == Role.INTEGRATION else queryset.none()
    vendor_scope = getattr(model, "vendor_scope", None)
    return queryset.filter(vendor_scope(actor.vendor_id)) if vendor_scope else queryset.none()


def get_scoped(queryset, actor: Actor, **lookup):
    """The one row ``lookup`` names among those ``actor`` may see; a row that does not exist
    and a row of someone else answer the same 404 (so nobody learns which numbers exist)."""
    try:
        return scoped(queryset, actor).get(**lookup)
    except queryset.model.DoesNotExist:
        raise not_found(queryset.model, *lookup.values()) from None


def scoped_key_sql(model, actor: Actor, field: str, key):
    """``(sql, params)`` of a subquery giving the pk of the row of ``model`` whose unique
    ``field`` is ``key``, among those ``actor`` may see (``None``: ``actor`` sees no row of
    ``model``): ``scoped()``'s own rules, compiled once per process for the actor's shape, for
    a lookup written in SQL (``core.rawsql``)."""
    compiled = _compiled_key_sql(model, field, actor.role, actor.vendor_id is None)
    if compiled is None:
        return None
    sql, slots = compiled
    values = {
        _PROBE_KEY: key,
        _PROBE_VENDOR: actor.vendor_id,
        _PROBE_USER: actor.user.pk if actor.user else None,
    }
    return sql, [values.get(slot, slot) for slot in slots]


# Stand-ins while compiling, found again in the compiled parameters and replaced by the
# lookup's value and the actor's ids (no row has a negative id).
_PROBE_VENDOR, _PROBE_USER = -917_000_001, -917_000_002
_PROBE_KEY = "scoped-key-probe-9d1c"


@functools.cache
def _compiled_key_sql(model, field, role, without_vendor):
    # scoped() depends on the actor only through its role and whether it has a vendor.
    from django.contrib.auth import get_user_model

    if not model._meta.get_field(field).unique:
        raise ImproperlyConfigured(f"{model.__name__}.{field} does not name one row")
    probe = Actor(
        user=get_user_model()(pk=_PROBE_USER),
        role=role,
        vendor_id=None if without_vendor else _PROBE_VENDOR,
    )
    queryset = scoped(model._default_manager.all(), probe)
    query = queryset.filter(**{field: _PROBE_KEY}).order_by().values("pk").query
    try:
        sql, params = query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None
    if _PROBE_KEY not in params:
        raise ImproperlyConfigured(
            f"{model.__name__}.{field}: the lookup's value is not a parameter"
        )
    return sql, tuple(params)


def not_found(model, *keys):
    """The 404 for a record of ``model`` named by ``keys``, as a sentence: 'Kunde K-000007
    nicht gefunden.'"""
    key = " ".join(str(k) for k in keys)
    return Http404(
        _("%(thing)s %(key)s not found.")
        % {"thing": capfirst(model._meta.verbose_name), "key": key}
    )


def vendor_q(path):
    """A ``vendor_scope`` for models with a direct vendor foreign key at ``path``."""
    return lambda vendor_id: Q(**{f"{path}_id": vendor_id})


def via_customer(path="customer"):
    """The ``vendor_scope`` of every customer-related model, declared once: a vendor sees the
    row when it deals with the customer at ``path`` ("pk" for the customer itself), i.e. a
    ``CustomerVendor`` link exists."""

    def scope(vendor_id):
        from django.apps import apps
        from django.db.models import Exists, OuterRef

        links = apps.get_model("customers", "CustomerVendor").objects.filter(
            customer=OuterRef(path), vendor_id=vendor_id
        )
        return Q(Exists(links))

    return staticmethod(scope)


# Who may use which pages: the operator's staff, and staff together with vendor users.
STAFF = (Role.ADMIN, Role.SUPPORT)
BACK_OFFICE = (Role.ADMIN, Role.SUPPORT, Role.VENDOR)


def acting(request, *roles) -> Actor:
    """The actor of a view's request, refused (403) unless acting in one of ``roles``."""
    actor = Actor.of(request.user)
    require(actor, *roles)
    return actor


def require(actor: Actor, *roles):
    """Refuse (403) unless ``actor`` acts in one of ``roles``."""
    if actor.role not in roles:
        raise PermissionDenied(_("The role '%(role)s' may not do this.") % {"role": actor.role})
