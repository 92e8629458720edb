"""Response models, laid out like the official ``stytch.consumer.models``."""

from . import attribute, sessions, totps, users

__all__ = ["attribute", "sessions", "totps", "users"]
