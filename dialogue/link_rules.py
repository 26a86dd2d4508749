"""What makes a link between two agenda items sound, and when it is agreed.

Pure: no models, no database. The link services, the pages and the workshop
file's parser all ask here, so a quote the form refuses is refused by an
import too, and the page and the summary agree on which links are agreed.

- A quote is a passage of its end's own text: for an item, of its title or
  its body; for a point, of the point's text. It is compared exactly (after
  trimming the spaces around it), so the passage can be found by a reader.
- A link is *agreed* when every delegation has confirmed it, *rejected*
  when any delegation has rejected it, and *suggested* otherwise.
"""

from collections.abc import Iterable

QUOTE_MAX = 1000
NOTE_MAX = 2000

AGREED = "agreed"
REJECTED = "rejected"
SUGGESTED = "suggested"


def end_texts(*, title: str, body: str, point: str | None) -> tuple[str, ...]:
    """The texts a quote of this end may come from."""
    if point is not None:
        return (point,)
    return (title, body)


def quote_found(quote: str, texts: Iterable[str]) -> bool:
    """Is the (trimmed, non-empty) quote a passage of one of the texts?"""
    quote = quote.strip()
    return bool(quote) and any(quote in text for text in texts)


def link_state(decisions: Iterable[str], delegations: int) -> str:
    """AGREED, REJECTED or SUGGESTED from the delegations' decisions
    ("confirmed", "rejected", "pending"; a missing one is pending)."""
    decisions = list(decisions)
    if "rejected" in decisions:
        return REJECTED
    if delegations and decisions.count("confirmed") >= delegations:
        return AGREED
    return SUGGESTED
