"""A workshop file cannot bring in text a person could not type: NUL, lone
surrogates, control and bidi characters are refused with the field's path, by
the command (non-zero exit) and the admin upload (the problems listed), and
nothing is written."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from dialogue.models import Workshop

SEED = (
    Path(__file__).resolve().parent.parent
    / "dialogue"
    / "workshops"
    / "what-should-the-other-side-do.json"
)

# JSON escapes, so the bytes on disk are plain ASCII, as a hostile or broken
# export would write them.
BAD = {
    "NUL": "\\u0000",
    "lone surrogate": "\\ud800",
    "escape": "\\u001b",
    "right-to-left override": "\\u202e",
    "C1 control": "\\u0085",
}
FIELDS = {
    "title": lambda data: data,
    "sessions[0].title": lambda data: data["sessions"][0],
    "sessions[0].items[0].body": lambda data: data["sessions"][0]["items"][0],
    "delegations[0].name": lambda data: data["delegations"][0],
}


def _file_with(field: str, escape: str) -> bytes:
    data = json.loads(SEED.read_text(encoding="utf-8"))
    key = field.rsplit(".", 1)[-1]
    marker = "@@BAD@@"
    FIELDS[field](data)[key] = f"Text{marker}here"
    return json.dumps(data).replace(marker, escape).encode("ascii")


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("what", BAD)
def test_the_command_refuses_bad_characters_naming_the_field(db, tmp_path, field, what):
    path = tmp_path / "bad.json"
    path.write_bytes(_file_with(field, BAD[what]))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(path), stdout=io.StringIO())

    message = str(excinfo.value)
    assert "was not imported; nothing was changed." in message
    assert f"  {field}: contains a character that is not allowed (U+" in message
    assert Workshop.objects.count() == 0


@pytest.mark.parametrize("what", BAD)
def test_the_admin_upload_lists_bad_characters_and_writes_nothing(
    client, organiser, what
):
    client.force_login(organiser)
    upload = SimpleUploadedFile("bad.json", _file_with("title", BAD[what]))

    response = client.post(reverse("admin:dialogue_workshop_import"), {"file": upload})

    assert response.status_code == 200
    [(where, message)] = response.context["file_errors"]
    assert (where, message.split(" (U+")[0]) == (
        "title",
        "contains a character that is not allowed",
    )
    assert Workshop.objects.count() == 0


def test_a_title_on_two_lines_is_refused(db, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(_file_with("title", "\\n"))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(path), stdout=io.StringIO())

    assert "  title: must be on one line" in str(excinfo.value)
