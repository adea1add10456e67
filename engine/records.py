"""Frozen dataclasses built cheaply on the hot path.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (that is
how it stays frozen), which costs about a tenth of a microsecond per field: for the
:class:`~engine.Result` and :class:`~engine.Submission` of every scored submission, more
than scoring two leaves. :func:`maker` gives a constructor that fills the instance's
``__dict__`` at once instead. The instance is the same (equal, hashable, frozen, pickled
alike); the maker takes every field, in order, and runs no ``__post_init__``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A constructor of the frozen dataclass ``cls`` taking every field positionally, in order."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    assert not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__"), cls
    new = object.__new__

    def make(*values: Any) -> T:
        if len(values) != len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} fields, got {len(values)}")
        instance = new(cls)
        instance.__dict__.update(zip(names, values))
        return instance

    return make
