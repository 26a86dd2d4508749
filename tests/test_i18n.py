"""The Simplified Chinese catalogue ships compiled and complete."""

import gettext
import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_msgids() -> set[str]:
    """The msgids of the .po file (joined across continuation lines)."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    ids = set()
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            parts = re.findall(r'"(.*)"', match.group(1))
            msgid = (
                "".join(parts)
                .encode()
                .decode("unicode_escape")
                .encode("latin-1")
                .decode("utf-8")
            )
            if msgid:
                ids.add(msgid)
    return ids


def test_every_message_is_translated_in_the_compiled_catalogue():
    with open(LOCALE / "django.mo", "rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    compiled = {
        key[0] if isinstance(key, tuple) else key
        for key in catalogue._catalog  # msgfmt leaves untranslated entries out
        if key
    }

    missing = po_msgids() - compiled

    assert missing == set()


def test_interface_strings_come_out_in_chinese():
    samples = ["Sign in", "Discussion", "Your workshops", "Reciprocal measures"]

    with translation.override("zh-hans"):
        translated = {text: translation.gettext(text) for text in samples}

    assert all(translated[text] != text for text in samples), translated
    assert translated["Sign in"] == "登录"
