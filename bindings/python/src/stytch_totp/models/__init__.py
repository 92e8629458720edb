"""Response models, laid out like the official ``stytch.consumer.models``."""

from . import totps, users

__all__ = ["totps", "users"]
