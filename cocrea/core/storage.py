"""A storage of STORAGES by its alias, for a model field, looked up when first used.

A FileField resolves its storage once, when its model is defined; `default_storage` is lazy, so
a field without a storage follows the STORAGES setting, but one given `storages["private"]`
would keep the backend of the moment it was imported. `NamedStorage("private")` is lazy the same
way and, like `default_storage`, is looked up again when the setting changes (which only a test
does, to run the same code on another backend)."""

from typing import Any

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

_named: list["NamedStorage"] = []


class NamedStorage(LazyObject):
    def __init__(self, alias: str) -> None:
        super().__init__()
        self.__dict__["alias"] = alias
        _named.append(self)

    def _setup(self) -> None:
        self._wrapped = storages[self.__dict__["alias"]]


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        for named in _named:
            named._wrapped = empty  # type: ignore[assignment]


setting_changed.connect(_storages_changed, dispatch_uid="cocrea-named-storages")
