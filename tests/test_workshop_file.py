"""The workshop file: every bad file is refused with the offending field path,
and nothing is written."""

import copy
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dialogue.models import AgendaItem, AgendaPoint, Delegation, Session, Workshop
from dialogue.workshop_file import WorkshopFileError, parse_workshop_file
from tests.builders import make_participant, small_file

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "dialogue" / "workshops" / "what-should-the-other-side-do.json"
LIMIT = 2 * 1024 * 1024


def errors_of(data) -> list[tuple[str, str]]:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    with pytest.raises(WorkshopFileError) as excinfo:
        parse_workshop_file(raw, max_bytes=LIMIT)
    return excinfo.value.errors


def test_parse_accepts_the_seed_file():
    spec = parse_workshop_file(SEED.read_bytes(), max_bytes=LIMIT)

    assert [len(s.items) for s in spec.sessions] == [6, 6]


def test_parse_invalid_json_names_line_and_column():
    errors = errors_of(b'{"slug": "x",\n "title": }')

    assert errors == [
        ("(file)", "is not valid JSON: Expecting value at line 2 column 11")
    ]


def test_parse_non_utf8_names_the_byte():
    errors = errors_of('{"slug": "caf\u00e9"}'.encode("latin-1"))

    assert errors == [
        ("(file)", "is not UTF-8: byte 0xe9 at offset 13 cannot be decoded")
    ]


def test_parse_oversized_file_is_refused_before_decoding():
    errors = errors_of(b" " * (LIMIT + 1))

    assert errors == [("(file)", "is 2,097,153 bytes; the limit is 2,097,152 bytes")]


def test_parse_duplicate_key_is_refused():
    errors = errors_of(b'{"slug": "a", "slug": "b"}')

    assert errors == [
        ("(file)", "is not valid JSON: the key 'slug' appears twice in one object")
    ]


def test_parse_missing_field_names_its_path():
    data = small_file()
    del data["sessions"][0]["items"][0]["title"]
    del data["source"]["publisher"]

    assert errors_of(data) == [
        ("source.publisher", "is missing"),
        ("sessions[0].items[0].title", "is missing"),
    ]


def test_parse_mistyped_fields_name_their_paths():
    data = small_file()
    data["title"] = 42
    data["sessions"][0]["items"][0]["number"] = "1"
    data["sessions"][0]["items"][0]["points"] = "a"
    data["delegations"][1]["name"] = None

    assert errors_of(data) == [
        ("title", "must be a string, not a number"),
        ("delegations[1].name", "must be a string, not null"),
        ("sessions[0].items[0].number", "must be a whole number >= 1, not '1'"),
        ("sessions[0].items[0].points", "must be a list, not a string"),
    ]


def test_parse_unknown_delegation_code_is_refused():
    data = small_file()
    data["sessions"][0]["items"][0]["addressed_to"] = "UK"

    assert errors_of(data) == [
        (
            "sessions[0].items[0].addressed_to",
            "'UK' is not a delegation code of this workshop (CN, US)",
        )
    ]


def test_parse_duplicate_item_numbers_are_refused():
    data = small_file()
    items = data["sessions"][0]["items"]
    items.append(copy.deepcopy(items[0]))

    assert errors_of(data) == [
        ("sessions[0].items[1].number", "item number 1 is used twice")
    ]


def test_parse_unknown_field_is_refused():
    data = small_file()
    data["sessions"][0]["items"][0]["adressed_to"] = "US"

    assert errors_of(data) == [
        ("sessions[0].items[0].adressed_to", "is not a known field")
    ]


def test_parse_item_addressed_to_its_proposer_is_refused():
    data = small_file()
    data["sessions"][0]["items"][0]["addressed_to"] = "CN"

    assert errors_of(data) == [
        (
            "sessions[0].items[0].addressed_to",
            "must differ from proposed_by: an item is addressed to the other side",
        )
    ]


def test_parse_reports_every_problem_at_once():
    data = small_file()
    data["slug"] = "Not A Slug"
    data["confidentiality"] = "secret"
    data["source"]["date"] = "13 Feb 2025"

    assert errors_of(data) == [
        (
            "slug",
            "'Not A Slug' is not valid: "
            "use lower-case letters, digits and single hyphens",
        ),
        (
            "confidentiality",
            "'secret' is not one of on_record, chatham_house, off_record",
        ),
        ("source.date", "'13 Feb 2025' is not a date (YYYY-MM-DD)"),
    ]


def test_parse_top_level_must_be_an_object():
    assert errors_of(b"[1, 2]") == [("(file)", "must be an object, not a list")]


BAD_FILES = {
    "invalid-json": b"{nope",
    "non-utf8": b'{"slug": "\xff"}',
    "missing-field": json.dumps({"slug": "x"}).encode(),
    "mistyped": json.dumps({**small_file(), "delegations": "CN,US"}).encode(),
    "unknown-code": json.dumps(
        {
            **small_file(),
            "delegations": [{"code": "CN", "name": "a"}, {"code": "UK", "name": "b"}],
        }
    ).encode(),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_import_command_bad_file_exits_nonzero_and_writes_nothing(db, tmp_path, case):
    path = tmp_path / f"{case}.json"
    path.write_bytes(BAD_FILES[case])

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(path))

    assert "was not imported; nothing was changed" in str(excinfo.value)
    assert Workshop.objects.count() == 0
    assert Delegation.objects.count() == 0
    assert Session.objects.count() == 0


def test_import_command_exit_status_and_message_from_the_shell(tmp_path):
    """The real command line: non-zero exit, the field path on stderr."""
    data = small_file()
    data["sessions"][0]["items"][0]["proposed_by"] = "XX"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))

    result = subprocess.run(
        [sys.executable, "manage.py", "import_workshop", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={
            "DEBUG": "1",
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        },
        timeout=60,
    )

    assert result.returncode == 1
    assert "sessions[0].items[0].proposed_by: 'XX' is not a delegation code" in (
        result.stderr
    )


def test_import_refused_midway_leaves_existing_workshop_untouched(db, tmp_path):
    """A file that fails only against the database (a delegation still in use)
    rolls back every change made before the failure."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(small_file()))
    call_command("import_workshop", str(good), stdout=io.StringIO())
    workshop = Workshop.objects.get(slug="small")
    make_participant(workshop, code="US")
    changed = small_file()
    changed["title"] = "Renamed"
    changed["delegations"][1] = {"code": "EU", "name": "Europe"}
    changed["sessions"][0]["items"][0]["addressed_to"] = "EU"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(changed))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(bad))

    assert "delegations: 'US' is missing from the file but still has participants" in (
        str(excinfo.value)
    )
    assert Workshop.objects.get(slug="small").title == "Small dialogue"
    assert sorted(Delegation.objects.values_list("code", flat=True)) == ["CN", "US"]
    assert AgendaItem.objects.get().addressed_to.code == "US"
    assert AgendaPoint.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("slug", "abc\n", "'abc\\n' is not valid"),
        (
            "delegations",
            [{"code": "CN\n", "name": "x"}, {"code": "US", "name": "y"}],
            "'CN\\n' is not valid",
        ),
        (
            "delegations",
            [{"code": "C_N", "name": "x"}, {"code": "US", "name": "y"}],
            "'C_N' is not valid",
        ),
        ("source", None, "must be an object, not null"),
    ],
)
def test_parse_refuses_sneaky_values(field, value, message):
    data = small_file()
    data[field] = value

    errors = errors_of(data)

    assert any(message in text for _path, text in errors), errors


def test_parse_refuses_deep_nesting_with_a_message():
    assert errors_of(b"[" * 200_000) == [
        ("(file)", "is nested too deeply to be a workshop file")
    ]


def test_parse_refuses_implausible_dates():
    data = small_file()
    data["sessions"][0]["starts_at"] = "0001-01-01T00:00:00+01:00"

    assert errors_of(data) == [
        (
            "sessions[0].starts_at",
            "'0001-01-01T00:00:00+01:00' is not a plausible date (years 1900 to 9000)",
        )
    ]
