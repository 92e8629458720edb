"""Loads libstytch_totp and declares the C signature of every function it
exports (the table is generated from the header: ``_signatures.py``).

Load order: the ``STYTCH_TOTP_LIB`` environment variable, the copy bundled in this
package, then the system's library path. The library must pass its own version
rule for this package's version (``stytch_version_is_compatible``).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path
from typing import Any, ClassVar, List, Optional, Tuple, Type

from ._signatures import OWNED, SIGNATURES
from ._version import __version__
from .models._base import _Source

ENV_VAR = "STYTCH_TOTP_LIB"


def _bundled() -> List[Path]:
    """The library copies shipped inside the package (the wheel puts one here)."""
    here = Path(__file__).resolve().parent
    names = ("libstytch_totp*.so", "libstytch_totp*.dylib", "stytch_totp*.dll")
    return sorted(p for pattern in names for p in here.glob(pattern))


def _candidates() -> List[str]:
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        # An explicit choice is final: falling back would hide a wrong path.
        return [explicit]
    found = [str(p) for p in _bundled()]
    system = ctypes.util.find_library("stytch_totp")
    if system:
        found.append(system)
    return found


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def load() -> Tuple[ctypes.CDLL, str]:
    """Opens the library, declares its functions and checks its version."""
    candidates = _candidates()
    if not candidates:
        raise ImportError(
            "stytch_totp: libstytch_totp not found: install the package with pip "
            f"(it bundles the library) or set {ENV_VAR} to the library's path"
        )
    errors = []
    for path in candidates:
        try:
            # CDLL, not PyDLL: calls release the GIL, so threads run in parallel.
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        version = lib.stytch_version
        version.restype = ctypes.c_char_p
        compatible = lib.stytch_version_is_compatible
        compatible.argtypes, compatible.restype = [ctypes.c_char_p], ctypes.c_bool
        if not compatible(__version__.encode()):
            raise ImportError(
                f"stytch_totp {__version__} cannot use libstytch_totp {version().decode()} "
                f"({path}): the library's version rule refuses it"
            )
        _declare(lib)
        return lib, path
    raise ImportError("stytch_totp: cannot load libstytch_totp: " + "; ".join(errors))


lib, path = load()


def take_bytes(owned: OWNED) -> Optional[bytes]:
    """Copies an owned C string into Python, then frees it (wiping it)."""
    text = owned.value
    lib.stytch_string_free(owned)
    return text


def take_string(owned: OWNED) -> Optional[str]:
    text = take_bytes(owned)
    return None if text is None else text.decode()


def take_json(handle: Any, to_json: Any, free: Any) -> bytes:
    """The JSON of a response handle; the handle is freed (its secrets wiped)
    before this returns."""
    try:
        return take_bytes(to_json(handle)) or b"{}"
    finally:
        free(handle)


class Handle(ctypes.c_void_p, _Source):
    """A library handle (a response, an error) owned by the value made from
    it, which reads its JSON when first read (``json``); the handle is freed,
    wiping it, when the last reference to it goes: once read, or with the
    value. As a subclass of c_void_p, ctypes hands it back as it is; nothing
    else holds the pointer, so it is freed once and never used after (a
    thread reading the JSON holds a reference while it does). The subclasses
    are made by ``handle_type``."""

    __slots__ = ()
    # The handle type's `_to_json` and `_free`, taking the handle.
    _to_json: ClassVar[Any]
    _free: ClassVar[Any]

    def json(self) -> bytes:
        return take_bytes(type(self)._to_json(self)) or b"{}"

    def __del__(self) -> None:
        if self:  # a failed call hands back NULL
            type(self)._free(self)


def _redeclared(name: str, restype: Any, argtypes: List[Any]) -> Any:
    """Another function object of the library's function `name` (the shared
    one keeps its declaration), declared with these types."""
    fn = lib[name]
    fn.restype, fn.argtypes = restype, argtypes
    return fn


def handle_type(name: str) -> Type[Handle]:
    """The :class:`Handle` type of the library's type `name`, read by
    ``<name>_to_json`` and freed by ``<name>_free``."""
    methods = {
        "__slots__": (),
        "_to_json": staticmethod(_redeclared(f"{name}_to_json", OWNED, [ctypes.c_void_p])),
        "_free": staticmethod(_redeclared(f"{name}_free", None, [ctypes.c_void_p])),
    }
    return type(name, (Handle,), methods)


#: An error, owned as a response is (``owning``'s calls).
ErrorHandle = handle_type("stytch_error")


def owning(call: str, response: str) -> Tuple[Any, Type[Handle]]:
    """The library's function `call`, re-declared to return a :class:`Handle`
    of its `response` type, and that Handle type. Its error out-parameter is
    a plain ``c_void_p``, which only a failure makes an :data:`ErrorHandle`
    of: a success owns no error to free. Its client and error pointers are
    declared ``c_void_p``, which ctypes converts fastest (a tenth of a
    microsecond less per call than the typed pointers); the callers pass the
    client's own pointer and ``byref`` of a ``c_void_p``."""
    handle = handle_type(response)
    _client, *arguments, _error = SIGNATURES[call][1]
    argtypes = [ctypes.c_void_p, *arguments, ctypes.c_void_p]
    return _redeclared(call, handle, argtypes), handle
