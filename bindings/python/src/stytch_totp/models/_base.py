"""The base of the response models: values decoded from the library's JSON.

A response keeps the JSON text the library returned, or the library's
response handle (``_native.Handle``, whose JSON it reads then), and decodes it
on first use, all at once (a nested model: when it is first read): a caller
that reads nothing pays nothing for decoding. The models themselves
(``users.py``, ``totps.py``, ``sessions.py``, ``attribute.py``) are generated
from the library's schema by tools/gen_bindings.py.
"""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING, Any, ClassVar, Dict, FrozenSet, Optional, Tuple, Type, TypeVar, Union

M = TypeVar("M", bound="Model")


def parse_time(value: Optional[str]) -> Optional[datetime.datetime]:
    """RFC 3339 UTC (``2024-01-02T03:04:05Z``) as an aware datetime, as pydantic does."""
    if value is None:
        return None
    # fromisoformat() accepts a trailing "Z" only from Python 3.11 on.
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


class _Source:
    """What a model reads its JSON from besides text: ``_native.Handle``."""

    __slots__ = ()

    def json(self) -> bytes:
        raise NotImplementedError


def _rebuild(cls: Type[M], values: Tuple[Any, ...]) -> M:
    return cls(*values)


class Model:
    """A value: official attribute names, ``==``, picklable, and a repr that
    hides secrets. Nothing to close: a library handle it owns (``_native.Handle``)
    is freed when first read, or with the value."""

    __slots__ = ("_raw",)
    # The source: the library's JSON or its response handle (decoded on first
    # use), or the decoded object a nested model came from.
    _raw: Union[bytes, str, Dict[str, Any], _Source, None]
    _fields: ClassVar[Tuple[str, ...]] = ()
    _secrets: ClassVar[FrozenSet[str]] = frozenset()

    def _decode(self, d: Dict[str, Any]) -> None:
        raise NotImplementedError

    @classmethod
    def _of(cls: Type[M], d: Dict[str, Any]) -> M:
        """A model made from a decoded JSON object, which it decodes when
        first read (as a response its JSON)."""
        model = cls.__new__(cls)
        model._raw = d
        return model

    @classmethod
    def _of_nullable(cls: Type[M], d: Optional[Dict[str, Any]]) -> Optional[M]:
        """``_of``, or None for a null (or absent) object."""
        return None if d is None else cls._of(d)

    @classmethod
    def from_json(cls: Type[M], text: Union[str, bytes]) -> M:
        """A model of the library's JSON, decoded when first read."""
        model = cls.__new__(cls)
        model._raw = text
        return model

    if not TYPE_CHECKING:  # for type checkers, fields are plain attributes

        def __getattr__(self, name: str) -> Any:
            # Reached only for a field not decoded yet: decode them all.
            raw = self._text() if name in type(self)._fields else None
            if isinstance(raw, dict):
                self._decode(raw)
            elif isinstance(raw, (str, bytes)):
                self._decode(json.loads(raw))
            else:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            return object.__getattribute__(self, name)

    def _text(self) -> Union[bytes, str, Dict[str, Any], None]:
        """The source, a handle's JSON read (the handle is then let go of, and
        so freed once no other thread is reading it)."""
        raw = self._raw
        if isinstance(raw, _Source):
            raw = self._raw = raw.json()
        return raw

    def _values(self) -> Tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def to_json(self) -> str:
        """The body exactly as the library sent it (a nested model: its part)."""
        raw = self._text()
        if isinstance(raw, bytes):
            return raw.decode()
        if isinstance(raw, str):
            return raw
        if raw is None:
            raw = {f: _plain(getattr(self, f)) for f in self._fields}
        return json.dumps(raw, separators=(",", ":"), ensure_ascii=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Model)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # values hold lists

    def __repr__(self) -> str:
        shown = (f"{f}=<hidden>" if f in self._secrets else f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({', '.join(shown)})"

    def __reduce__(self) -> Tuple[Any, ...]:
        return (_rebuild, (type(self), self._values()))


def _plain(value: Any) -> Any:
    """A field's value as JSON sees it (for models built by hand)."""
    if isinstance(value, Model):
        return json.loads(value.to_json())
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value
