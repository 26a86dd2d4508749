"""Import and export: round trips exactly, re-import updates in place."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dialogue.models import AgendaItem, AgendaPoint, Delegation, Session, Workshop
from dialogue.workshop_file import dump_workshop_file, validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import admin_organiser, make_participant, small_file


def export_text(slug: str) -> str:
    out = io.StringIO()
    call_command("export_workshop", slug, stdout=out)
    return out.getvalue()


def test_export_then_import_into_an_empty_database_round_trips(seeded, tmp_path):
    first = export_text(seeded.slug)
    Workshop.objects.all().delete()
    path = tmp_path / "export.json"
    path.write_text(first, encoding="utf-8")

    call_command("import_workshop", str(path), stdout=io.StringIO())

    assert export_text(seeded.slug) == first
    assert AgendaItem.objects.count() == 12


def test_import_same_slug_updates_in_place_without_duplicates(db):
    workshop_import(spec=validate(small_file()))
    ids = sorted(AgendaItem.objects.values_list("pk", flat=True))
    edited = small_file()
    edited["title"] = "Renamed dialogue"
    edited["sessions"][0]["items"][0]["title"] = "First, revised"
    edited["sessions"][0]["items"][0]["points"] = ["a", "b changed", "c"]

    result = workshop_import(spec=validate(edited))

    assert result.created is False
    assert Workshop.objects.get().title == "Renamed dialogue"
    assert sorted(AgendaItem.objects.values_list("pk", flat=True)) == ids
    assert AgendaItem.objects.get().title == "First, revised"
    assert list(AgendaPoint.objects.values_list("position", "text")) == [
        (1, "a"),
        (2, "b changed"),
        (3, "c"),
    ]
    assert result.summary() == (
        "workshop updated: 1, items updated: 1, points created: 1, points updated: 1"
    )


def test_import_removes_what_the_file_no_longer_lists(db):
    data = small_file()
    data["sessions"].append({"title": "Two", "items": []})
    workshop_import(spec=validate(data))
    shorter = small_file()
    shorter["sessions"][0]["items"][0]["points"] = ["a"]

    workshop_import(spec=validate(shorter))

    assert list(Session.objects.values_list("number", flat=True)) == [1]
    assert list(AgendaPoint.objects.values_list("text", flat=True)) == ["a"]


def test_import_can_swap_a_delegation_nobody_belongs_to(db):
    workshop_import(spec=validate(small_file()))
    data = small_file()
    data["delegations"][1] = {"code": "EU", "name": "Europe"}
    data["sessions"][0]["items"][0]["addressed_to"] = "EU"

    workshop_import(spec=validate(data))

    assert list(Delegation.objects.values_list("code", flat=True)) == ["CN", "EU"]
    assert AgendaItem.objects.get().addressed_to.code == "EU"


def test_export_keeps_session_schedule(db):
    data = small_file()
    data["sessions"][0]["number"] = 3
    data["sessions"][0]["starts_at"] = "2026-03-01T09:00:00+00:00"
    data["sessions"][0]["ends_at"] = "2026-03-01T12:30:00+00:00"
    result = workshop_import(spec=validate(data))

    exported = workshop_export(workshop=result.workshop)

    assert exported["sessions"][0]["number"] == 3
    assert exported["sessions"][0]["starts_at"] == "2026-03-01T09:00:00+00:00"
    assert exported["sessions"][0]["ends_at"] == "2026-03-01T12:30:00+00:00"
    assert json.loads(dump_workshop_file(exported)) == exported


def test_export_unknown_slug_fails_with_a_message(db):
    with pytest.raises(CommandError) as excinfo:
        call_command("export_workshop", "nope")

    assert str(excinfo.value) == "There is no workshop with the slug 'nope'."


def test_export_to_a_file(seeded, tmp_path):
    path = tmp_path / "out.json"

    call_command("export_workshop", seeded.slug, "-o", str(path))

    assert path.read_text(encoding="utf-8") == export_text(seeded.slug)


def test_import_reads_stdin(db, monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO(json.dumps(small_file()).encode()))
    )
    out = io.StringIO()

    call_command("import_workshop", "-", stdout=out)

    assert out.getvalue().startswith("Created workshop 'small': workshop created: 1")


def test_import_refuses_to_drop_an_item_that_has_comments(seeded, tmp_path):
    from dialogue.models import Comment, Phase
    from dialogue.services.comments import comment_post
    from dialogue.services.sessions import session_set_phase

    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    comment_post(
        participant=make_participant(seeded, code="CN"),
        item=session.items.get(number=6),
        body="Keep me",
    )
    data = json.loads(export_text(seeded.slug))
    del data["sessions"][1]["items"][5]
    del data["links"]  # without the key the links are left be: the item is the issue
    path = tmp_path / "shorter.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(path))

    assert (
        "sessions[1].items: item 6 would be removed, but comments, rankings or "
        "measures refer to them; keep them in the file"
    ) in str(excinfo.value)
    assert Comment.objects.count() == 1
    assert session.items.count() == 6


def test_import_refuses_to_drop_points_that_have_comments(seeded, tmp_path):
    from dialogue.models import Phase
    from dialogue.services.comments import comment_post
    from dialogue.services.sessions import session_set_phase

    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=3)
    comment_post(
        participant=make_participant(seeded, code="US"),
        item=item,
        body="On 3.6",
        point=item.points.get(position=6),
    )
    data = json.loads(export_text(seeded.slug))
    data["sessions"][1]["items"][2]["points"] = data["sessions"][1]["items"][2][
        "points"
    ][:4]
    del data["links"]  # without the key the links are left be: the points are the issue
    path = tmp_path / "fewer-points.json"
    path.write_text(json.dumps(data))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(path))

    assert "item 3 would lose points that have comments" in str(excinfo.value)
    assert item.points.count() == 6


def test_import_bumps_the_live_version_of_changed_sessions(seeded):
    before = seeded.sessions.get(number=1).version
    data = json.loads(export_text(seeded.slug))
    data["sessions"][0]["items"][0]["title"] = "Retitled"

    workshop_import(spec=validate(data))

    assert seeded.sessions.get(number=1).version == before + 1
