"""Response objects over C handles: fields are read lazily, then cached.

Reading lazily keeps a call cheap (one C call to make the response, one to free
it) when the caller only cares that it succeeded. Every read holds the owner's
lock, so a ``close()`` in another thread can never free a handle mid-read.
"""

from __future__ import annotations

import datetime
import json
import threading
from typing import Any, Callable, Dict, Generic, List, Optional, TypeVar, overload

from .._native import lib, take_string, text
from ..errors import ClosedError

T = TypeVar("T")
Ptr = Any  # a ctypes POINTER to an opaque handle


class Field(Generic[T]):
    """An attribute read through the C accessors on first access, then cached.

    A non-data descriptor: once the value sits in the instance ``__dict__``,
    Python finds it there and never calls ``__get__`` again.
    """

    def __init__(self, read: Callable[[Ptr], T], via: str = "_read") -> None:
        self._read = read
        self._via = via  # the method of the instance that supplies the pointer

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, obj: None, owner: type) -> "Field[T]": ...

    @overload
    def __get__(self, obj: object, owner: type) -> T: ...

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        value = getattr(obj, self._via)(self._read)
        obj.__dict__[self._name] = value
        return value


# Field makers, one per C accessor shape. `via` names the instance method
# that supplies the pointer (see Field).


def string(accessor: str, via: str = "_read") -> Field[str]:
    fn = getattr(lib, accessor)
    return Field(lambda p: text(fn(p)) or "", via)


def optional_string(accessor: str, via: str = "_read") -> Field[Optional[str]]:
    fn = getattr(lib, accessor)
    return Field(lambda p: text(fn(p)), via)


def integer(accessor: str, via: str = "_read") -> Field[int]:
    fn = getattr(lib, accessor)
    return Field(lambda p: int(fn(p)), via)


def boolean(accessor: str, via: str = "_read") -> Field[bool]:
    fn = getattr(lib, accessor)
    return Field(lambda p: bool(fn(p)), via)


def strings(length: str, item: str, via: str = "_read") -> Field[List[str]]:
    count, get = getattr(lib, length), getattr(lib, item)
    return Field(lambda p: [get(p, i).decode() for i in range(count(p))], via)


def timestamp(accessor: str, via: str = "_read") -> Field[Optional[datetime.datetime]]:
    fn = getattr(lib, accessor)
    return Field(lambda p: parse_time(text(fn(p))), via)


def json_object(accessor: str, via: str = "_read") -> Field[Dict[str, Any]]:
    fn = getattr(lib, accessor)
    return Field(lambda p: json.loads(text(fn(p)) or "{}"), via)


def parse_time(value: Optional[str]) -> Optional[datetime.datetime]:
    """RFC 3339 UTC (``2024-01-02T03:04:05Z``) as an aware datetime, as pydantic does."""
    if value is None:
        return None
    # fromisoformat() accepts a trailing "Z" only from Python 3.11 on.
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


class Closeable:
    """``close()`` at the end of a ``with`` block, and on garbage collection as a
    backstop. Subclasses define an idempotent ``close()``."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: "C") -> "C":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        # Backstop only: at interpreter exit the module may be half torn down.
        try:
            self.close()
        except Exception:
            pass


C = TypeVar("C", bound=Closeable)


class Handle(Closeable):
    """Owns one C response handle and frees it exactly once: on ``close()``, at
    the end of a ``with`` block, or (as a backstop) when garbage collected.

    Fields already read stay readable after ``close()``; reading a new one
    raises :class:`ClosedError`. Closing wipes the secrets the library held.
    """

    # The C name prefix: "<prefix>_free" and "<prefix>_to_json" exist.
    _c_prefix = ""
    _c_free = ""

    def __init_subclass__(cls) -> None:
        cls._c_free = cls._c_prefix + "_free"

    def __init__(self, ptr: Ptr) -> None:
        self._lock = threading.Lock()
        self._ptr: Optional[Ptr] = ptr

    def _read(self, read: Callable[[Ptr], T]) -> T:
        with self._lock:
            ptr = self._ptr
            if ptr is None:
                raise ClosedError(f"{type(self).__name__} is closed")
            return read(ptr)

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def to_json(self) -> str:
        """The response exactly as Stytch's API would send it."""
        return take_string(self._read(getattr(lib, self._c_prefix + "_to_json"))) or ""

    def close(self) -> None:
        """Frees the C handle; later calls do nothing."""
        with self._lock:
            ptr, self._ptr = self._ptr, None
        if ptr is not None:
            getattr(lib, self._c_free)(ptr)


class Borrowed:
    """A view (such as a ``user``) borrowed from a Handle: it keeps its owner
    alive and is readable while the owner is open."""

    def __init__(self, owner: Handle, ptr: Ptr) -> None:
        self._owner = owner
        self._ptr = ptr

    def _read(self, read: Callable[[Ptr], T]) -> T:
        ptr = self._ptr
        return self._owner._read(lambda _: read(ptr))
