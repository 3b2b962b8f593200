"""What ``/admin/`` may do with records the domain owns: look, never change or delete.

The base classes live in ``standing.base.admin`` (below the activity log, whose audit trail
uses them as well); this module is their public name, not a copy.
"""

from standing.base.admin import NoDeleteAdmin, ReadOnlyAdmin, ReadOnlyInline

__all__ = ["NoDeleteAdmin", "ReadOnlyAdmin", "ReadOnlyInline"]
