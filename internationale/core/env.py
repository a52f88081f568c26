"""Strict readers of settings from the environment.

Every reader refuses a value it does not understand instead of guessing, so that a typo in a
deployment stops the server at start-up rather than silently weakening it.
"""

import os
from pathlib import Path


class SettingError(ValueError):
    """A setting in the environment has a value that cannot be used."""


def env_str(name: str, default: str) -> str:
    """The variable's value, or the default when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    """True or false, spelt exactly so; anything else is refused."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value == "true":
        return True
    if value == "false":
        return False
    raise SettingError(f"{name} must be 'true' or 'false', not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """A whole number no smaller than the minimum."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blanks between commas are dropped."""
    value = os.environ.get(name, "").strip()
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (for container secrets).

    Setting both is refused: one of them would be silently ignored.
    """
    value = os.environ.get(name, "").strip()
    file_name = os.environ.get(f"{name}_FILE", "").strip()
    if value and file_name:
        raise SettingError(f"set {name} or {name}_FILE, not both")
    if file_name:
        try:
            value = Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise SettingError(f"{name}_FILE cannot be read: {error.strerror}") from None
        if not value:
            raise SettingError(f"{name}_FILE names an empty file")
    return value or default
