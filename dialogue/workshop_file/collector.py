"""The walk over a decoded workshop file that records every problem it finds.

`Collector` reads one typed field at a time (string, whole number, list,
date-time, one of a set of values) and, instead of stopping at the first bad
field, notes ``(path, message)`` and carries on, so a refused file lists all
its problems at once. Shared by `parse` and `parse_measures`; pure.
"""

import datetime as dt
import re
from typing import Any

from dialogue.user_text import text_problem
from dialogue.workshop_file.spec import MAX_TEXT


class Collector:
    """Walks the decoded JSON, recording every problem instead of stopping."""

    def __init__(self):
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path or "(file)", message))

    def object(self, value: Any, path: str, required: set, optional: set) -> bool:
        if not isinstance(value, dict):
            self.error(path, f"must be an object, not {kind_of(value)}")
            return False
        for key in sorted(required - value.keys()):
            self.error(join_path(path, key), "is missing")
        for key in sorted(value.keys() - required - optional):
            self.error(join_path(path, key), "is not a known field")
        return True

    def string(
        self,
        obj: dict,
        key: str,
        path: str,
        *,
        blank: bool = False,
        max_length: int = MAX_TEXT,
        pattern: re.Pattern | None = None,
        hint: str = "",
        multiline: bool = True,
    ) -> str:
        here = join_path(path, key)
        if key not in obj:
            return ""  # a missing required key is reported by object()
        value = obj[key]
        if not isinstance(value, str):
            self.error(here, f"must be a string, not {kind_of(value)}")
            return ""
        # The one check of user text (characters, length) that every form
        # applies too: a file cannot bring in what a person could not type.
        _cleaned, problem = text_problem(
            value, max_length=max_length, multiline=multiline
        )
        if problem:
            self.error(here, problem)
        elif not blank and not value.strip():
            self.error(here, "must not be empty")
        elif pattern is not None and not pattern.match(value):
            self.error(here, f"{value!r} is not valid: {hint}")
        return value

    def integer(self, obj: dict, key: str, path: str) -> int | None:
        value = obj.get(key)
        # bool is an int subclass in Python; true/false is not a number here.
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.error(
                join_path(path, key), f"must be a whole number >= 1, not {value!r}"
            )
            return None
        if value > 32767:
            self.error(join_path(path, key), f"{value} is too large (at most 32767)")
            return None
        return value

    def list(self, obj: dict, key: str, path: str) -> list:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.error(join_path(path, key), f"must be a list, not {kind_of(value)}")
            return []
        return value

    def datetime(self, obj: dict, key: str, path: str) -> dt.datetime | None:
        value = obj.get(key)
        if value is None:
            return None
        here = join_path(path, key)
        if not isinstance(value, str):
            self.error(
                here, f"must be an ISO 8601 date-time string, not {kind_of(value)}"
            )
            return None
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            self.error(here, f"{value!r} is not an ISO 8601 date-time")
            return None
        if parsed.tzinfo is None:
            self.error(here, f"{value!r} needs a time zone offset, e.g. +00:00")
            return None
        if not 1900 <= parsed.year <= 9000:
            self.error(here, f"{value!r} is not a plausible date (years 1900 to 9000)")
            return None
        return parsed

    def choice(
        self, obj: dict, key: str, path: str, allowed: tuple[str, ...], default: str
    ) -> str:
        """One of `allowed`; `default` when the key is left out."""
        if key not in obj:
            return default
        value = self.string(obj, key, path)
        if value and value not in allowed:
            self.error(
                join_path(path, key), f"{value!r} is not one of {', '.join(allowed)}"
            )
        return value


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def kind_of(value: Any) -> str:
    """How a JSON value is named in an error message."""
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
