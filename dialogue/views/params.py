"""Values read from a query string or a form, refused quietly when malformed."""


def positive_number(value) -> int | None:
    """A positive whole number from a query or form value, or None.

    Only ASCII digits: str.isdigit() accepts "²", which int() refuses.
    """
    value = str(value or "")
    if value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return None
