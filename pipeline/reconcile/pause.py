"""Pause Python's cyclic garbage collector while reconciliation builds its millions of objects.

Reconciliation creates mentions, merges and clusters by the million and makes no reference
cycles; every full collection walks all of them again. Measured on 10k syndicated articles, the
collector took 45% of the CPU of reconcile and save. Reference counting frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """No cyclic collection inside; the collector's state is restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_cycle_collection(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` run with the cyclic collector paused."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with cycle_collection_paused():
            return function(*args, **kwargs)

    return paused
