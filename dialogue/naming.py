"""How the interface names people and the workshop's parts: the one place.

* A person is shown by their display name: their full name as the account
  has it, else their username (``person_name``). Every page of a workshop
  names people this way (``Participant.display_name``, the ``display_name``
  template filter for the signed-in user), and the on-the-record summary
  uses the same rule (``summary.attribution``), so a delegate never reads a
  username where the account has a name. Inside the workshop every mode
  shows names to its participants; how each confidentiality mode names
  people in a report is ``summary.attribution``'s rule.
* A workshop's title, a session's title and a delegation's name have an
  English form and a Chinese one (``title_zh``, ``name_zh``); the active
  interface language picks one, falling back to the other when it is blank
  (``in_language``).

Pure: no models are imported, so the summary builder and the workshop file
use it too.
"""

from django.utils.translation import get_language


def person_name(first_name: str, last_name: str, username: str) -> str:
    """Full name ("first last", as Django's ``get_full_name``), else username."""
    full = " ".join(part for part in (first_name, last_name) if part and part.strip())
    return full.strip() or username


def user_display_name(user) -> str:
    """A user account's display name (see ``person_name``)."""
    return person_name(user.first_name, user.last_name, user.get_username())


def is_chinese(language: str | None) -> bool:
    return (language or "").lower().startswith("zh")


def in_language(english: str, chinese: str, language: str | None = None) -> str:
    """The form for `language` (default: the active one), else the other."""
    language = get_language() if language is None else language
    first, second = (chinese, english) if is_chinese(language) else (english, chinese)
    return first if first and first.strip() else second
