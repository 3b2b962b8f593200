"""One registration style for everything the apps contribute to a shared place: navigation
entries, settings sections, demo steps, card panels, tick jobs, start-page sections, the block
source, login checks.

    NAVIGATION = Registry("navigation")                       # where the place is defined
    NAVIGATION.register(entry, key="blocks:list", order=30)  # in the app's AppConfig.ready()
    for entry in NAVIGATION: ...                              # where it is used

* A key may be registered once; a second registration of the same key is refused
  (``AlreadyRegistered``), so importing a module twice can never add an entry twice.
* Registering is done in ``AppConfig.ready()``: once every app is ready, ``register()`` refuses
  (``RegistryClosed``); a module that registers as a side effect of being imported late is
  caught at once. Tests use ``registry.temporarily(...)``.
* The order is stable whatever the import order: by ``order``, then by the registering app's
  place in ``INSTALLED_APPS``, then by the order of registration within that app.
"""

import sys
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings

DEFAULT_ORDER = 50


class AlreadyRegistered(ValueError):
    pass


class RegistryClosed(RuntimeError):
    pass


class _Entry:
    __slots__ = ("item", "key", "order", "module", "seq")

    def __init__(self, item, key, order, module, seq):
        self.item, self.key, self.order, self.module, self.seq = item, key, order, module, seq


def _app_index(module: str) -> int:
    """The place in INSTALLED_APPS of the app that contains ``module`` (last if none)."""
    best, index = -1, len(settings.INSTALLED_APPS)
    for i, name in enumerate(settings.INSTALLED_APPS):
        if (module == name or module.startswith(name + ".")) and len(name) > best:
            best, index = len(name), i
    return index


class Registry:
    """An ordered, keyed collection that apps fill in their ``AppConfig.ready()``."""

    instances: list["Registry"] = []

    def __init__(self, name: str, *, check=None):
        self.name = name
        # check(item, items): raise ValueError when the item does not fit in (e.g. a panel
        # place taken); called before the item is added.
        self._check = check
        self._entries: dict[str, _Entry] = {}
        self._seq = 0
        self._sorted: list | None = None
        self._open = False
        Registry.instances.append(self)

    def __repr__(self):
        return f"<Registry {self.name}: {len(self._entries)} entries>"

    def register(self, item, *, key=None, order=None, module=None):
        """Add ``item`` under ``key`` (default: ``item.key``) at ``order`` (default:
        ``item.order`` or 50). Returns the item, so it serves as a decorator too."""
        if apps.ready and not self._open:
            raise RegistryClosed(
                f"{self.name}: register {key or item!r} in AppConfig.ready(), not later"
            )
        return self._add(item, key=key, order=order, module=module, depth=2)

    def _add(self, item, *, key, order, module, depth):
        key = key if key is not None else getattr(item, "key", None)
        if key is None:
            raise TypeError(f"{self.name}: register() needs a key")
        if order is None:
            order = getattr(item, "order", DEFAULT_ORDER)
        if key in self._entries:
            raise AlreadyRegistered(f"{self.name}: {key!r} registered twice")
        if self._check is not None:
            self._check(item, list(self))
        if module is None:
            module = sys._getframe(depth).f_globals.get("__name__", "")
        self._seq += 1
        self._entries[key] = _Entry(item, key, order, module, self._seq)
        self._sorted = None
        return item

    def unregister(self, key):
        del self._entries[key]
        self._sorted = None

    def _ordered(self):
        if self._sorted is None:
            self._sorted = sorted(
                self._entries.values(), key=lambda e: (e.order, _app_index(e.module), e.seq)
            )
        return self._sorted

    def __iter__(self):
        return iter([e.item for e in self._ordered()])

    def __len__(self):
        return len(self._entries)

    def __contains__(self, item):
        """Like a list: is ``item`` registered (under any key)? ``get(key)`` asks by key."""
        return any(e.item == item for e in self._entries.values())

    def get(self, key, default=None):
        entry = self._entries.get(key)
        return entry.item if entry else default

    def ordered_keys(self):
        return [e.key for e in self._ordered()]

    def items(self):
        return [(e.key, e.item) for e in self._ordered()]

    def append(self, item):
        raise TypeError(
            f"{self.name} is a Registry: call .register(item, key=..., order=...) in "
            "AppConfig.ready() (see docs/shared-ground.md)"
        )

    insert = append

    @contextmanager
    def temporarily(self, item, *, key=None, order=None):
        """For tests: ``item`` is registered inside the block and removed after it."""
        item = self._add(item, key=key, order=order, module=None, depth=3)
        key = key if key is not None else item.key
        try:
            yield item
        finally:
            self.unregister(key)

    @contextmanager
    def replaced(self, *items_with_keys):
        """For tests: inside the block the registry holds only the ``(key, item)`` pairs given,
        and ``register()`` may be called; afterwards it is as it was."""
        saved, saved_seq = self._entries, self._seq
        self._entries, self._sorted, self._open = {}, None, True
        try:
            for key, item in items_with_keys:
                self._add(item, key=key, order=None, module="", depth=3)
            yield self
        finally:
            self._entries, self._seq, self._sorted, self._open = saved, saved_seq, None, False
