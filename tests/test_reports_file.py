"""The rapporteur's report drafts in the workshop file ("report_drafts") and
the workshop's venue and paper size: validated with field paths, imported,
exported, round-tripped exactly, citations keyed by remark across ids."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from dialogue.models import (
    Comment,
    ReportCorrection,
    ReportDraft,
    ReportRevision,
    ReportSignOff,
)
from dialogue.workshop_file import WorkshopFileError, validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import errors_of, export_text, small_file

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def remark(d, code, item, body, minutes):
    return Comment.objects.create(
        item=d.items[item],
        author=d.delegates[code][1],
        body=body,
        created_at=T0 + dt.timedelta(minutes=minutes),
    )


def write_reports(d):
    """Session 1's report in review: two revisions citing a remark of each
    side, a correction from each side (one accepted), both heads' sign-offs;
    and the workshop's report, drafting, citing one remark."""
    cn = remark(d, "CN", (1, 1), "Stability first.", 1)
    us = remark(d, "US", (1, 2), "Visas matter.", 2)
    other = remark(d, "US", (2, 1), "Trade too.", 3)
    rapporteur = d.observer.user
    draft = ReportDraft.objects.create(
        workshop=d.workshop,
        session=d.sessions[1],
        state="in_review",
        revision=2,
        review_deadline=T0 + dt.timedelta(days=3),
        sent_for_review_at=T0 + dt.timedelta(hours=2),
    )
    ReportRevision.objects.create(
        draft=draft,
        number=1,
        takeaways=f"Both want calm [#c{us.pk}].",
        author=rapporteur,
    )
    second = ReportRevision.objects.create(
        draft=draft,
        number=2,
        takeaways=f"Both want calm [#c{cn.pk}].\n\nVisas next [#c{us.pk}].",
        narratives={"1": f"On stability [#c{cn.pk}].", "2": "On visas."},
        convergence="Hotlines.",
        divergence="Sequencing.",
        open_questions="Who goes first?",
        author=rapporteur,
    )
    draft.review_revision = second
    draft.save()
    ReportCorrection.objects.create(
        draft=draft,
        revision=second,
        section="takeaways",
        paragraph=2,
        kind="misstatement",
        note="Not what was said.",
        suggestion=f"Visas later [#c{us.pk}].",
        filed_by=d.delegates["CN"][2],
        status="accepted",
        reason="Right.",
        resolved_by=rapporteur,
        resolved_at=T0 + dt.timedelta(hours=5),
    )
    ReportCorrection.objects.create(
        draft=draft,
        revision=second,
        section="narrative:1",
        paragraph=1,
        kind="attribution",
        note="Too close to a name.",
        filed_by=d.delegates["US"][2],
    )
    for code in ("US", "CN"):
        ReportSignOff.objects.create(
            revision=second, delegation=d.delegations[code], participant=d.head(code)
        )
    whole = ReportDraft.objects.create(workshop=d.workshop, revision=1)
    ReportRevision.objects.create(
        draft=whole,
        number=1,
        takeaways=f"Across sessions [#c{other.pk}].",
        narratives={"2": "Session two."},
        author=rapporteur,
    )
    return {"cn": cn, "us": us, "other": other}


def report_state():
    return (
        list(ReportDraft.objects.order_by("pk").values_list("pk", "state", "version")),
        list(
            ReportRevision.objects.order_by("pk").values_list(
                "pk", "takeaways", "created_at"
            )
        ),
        list(ReportCorrection.objects.order_by("pk").values_list("pk", "created_at")),
        list(ReportSignOff.objects.order_by("pk").values_list("pk", "created_at")),
    )


def test_the_export_names_the_venue_and_paper_size_and_omits_absent_drafts(d):
    d.workshop.venue = "Beijing, Diaoyutai"
    d.workshop.paper_size = "letter"
    d.workshop.save()

    data = workshop_export(workshop=d.workshop)

    assert (data["venue"], data["paper_size"]) == ("Beijing, Diaoyutai", "letter")
    assert "report_drafts" not in data


def test_the_export_numbers_the_cited_remarks_instead_of_their_ids(d):
    write_reports(d)
    user = d.observer.user.username

    drafts = workshop_export(workshop=d.workshop)["report_drafts"]

    session, whole = drafts
    assert session["remarks"] == [
        {
            "number": 1,
            "item": "1.2",
            "point": None,
            "author": d.delegates["US"][1].user.username,
            "posted_at": (T0 + dt.timedelta(minutes=2)).isoformat(),
        },
        {
            "number": 2,
            "item": "1.1",
            "point": None,
            "author": d.delegates["CN"][1].user.username,
            "posted_at": (T0 + dt.timedelta(minutes=1)).isoformat(),
        },
    ]
    revision = session["revisions"][1]
    del revision["at"]
    assert revision == {
        "number": 2,
        "author": user,
        "takeaways": "Both want calm [#c2].\n\nVisas next [#c1].",
        "narratives": {"1": "On stability [#c2].", "2": "On visas."},
        "convergence": "Hotlines.",
        "divergence": "Sequencing.",
        "open_questions": "Who goes first?",
    }
    assert (session["session"], session["state"], session["review_revision"]) == (
        1,
        "in_review",
        2,
    )
    assert [
        (c["section"], c["paragraph"], c["suggestion"], c["status"], c["resolved_by"])
        for c in session["corrections"]
    ] == [
        ("takeaways", 2, "Visas later [#c1].", "accepted", user),
        ("narrative:1", 1, "", "open", None),
    ]
    assert [(s["revision"], s["delegation"]) for s in session["sign_offs"]] == [
        (2, "CN"),
        (2, "US"),
    ]
    assert (whole["session"], whole["revisions"][0]["takeaways"]) == (
        None,
        "Across sessions [#c1].",
    )
    assert whole["remarks"][0]["item"] == "2.1"


def test_export_then_import_onto_no_drafts_round_trips(d):
    comments = write_reports(d)
    first = export_text(d.workshop)
    ReportDraft.objects.all().delete()

    result = workshop_import(spec=validate(json.loads(first)))

    assert result.changes["report drafts created"] == 2
    assert export_text(d.workshop) == first
    revision = ReportRevision.objects.get(draft__session=d.sessions[1], number=2)
    assert revision.takeaways == (
        f"Both want calm [#c{comments['cn'].pk}].\n\n"
        f"Visas next [#c{comments['us'].pk}]."
    )


def test_the_import_cites_the_remarks_by_their_new_ids(d):
    """A remark posted again (another database, a restored backup) has a new
    id: the citation follows the remark, not the number."""
    comments = write_reports(d)
    first = export_text(d.workshop)
    ReportDraft.objects.all().delete()
    old = comments["us"]
    again = Comment.objects.create(
        item=old.item, author=old.author, body=old.body, created_at=old.created_at
    )
    old.delete()

    workshop_import(spec=validate(json.loads(first)))

    revision = ReportRevision.objects.get(draft__session=d.sessions[1], number=1)
    assert revision.takeaways == f"Both want calm [#c{again.pk}]."
    assert export_text(d.workshop) == first


def test_importing_the_same_file_twice_changes_nothing(d):
    write_reports(d)
    text = export_text(d.workshop)
    before = report_state()

    result = workshop_import(spec=validate(json.loads(text)))

    assert result.summary() == "no changes"
    assert report_state() == before


def test_an_edited_draft_is_replaced_and_a_missing_one_deleted(d):
    write_reports(d)
    data = json.loads(export_text(d.workshop))
    data["report_drafts"][0]["revisions"][1]["divergence"] = "Almost none."
    del data["report_drafts"][1]

    result = workshop_import(spec=validate(data))

    assert (
        result.changes["report drafts updated"],
        result.changes["report drafts deleted"],
    ) == (1, 1)
    assert list(ReportDraft.objects.values_list("session__number", flat=True)) == [1]
    draft = ReportDraft.objects.get()
    assert (draft.revisions.get(number=2).divergence, draft.version) == (
        "Almost none.",
        1,
    )
    assert ReportSignOff.objects.count() == 2


def test_a_file_without_the_key_leaves_the_drafts_alone(d):
    write_reports(d)
    before = report_state()
    data = json.loads(export_text(d.workshop))
    del data["report_drafts"]

    workshop_import(spec=validate(data))

    assert report_state() == before


def test_a_deleted_remark_is_exported_as_removed_and_still_imports(d):
    comments = write_reports(d)
    comments["other"].delete()

    data = json.loads(export_text(d.workshop))

    whole = data["report_drafts"][1]
    assert (whole["remarks"], whole["revisions"][0]["takeaways"]) == (
        [],
        "Across sessions [remark removed].",
    )
    # The import writes what the file says; from then on it round-trips.
    assert workshop_import(spec=validate(data)).summary() == "report drafts updated: 1"
    assert json.loads(export_text(d.workshop)) == data


# --- refused by the import: people and remarks --------------------------------


def import_errors(data) -> list[tuple[str, str]]:
    with pytest.raises(WorkshopFileError) as excinfo:
        workshop_import(spec=validate(data))
    return excinfo.value.errors


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_import_refuses_a_sign_off_by_a_non_head_and_writes_nothing(d, code):
    write_reports(d)
    data = json.loads(export_text(d.workshop))
    ReportDraft.objects.filter(session=None).delete()
    before = report_state()
    index = ["CN", "US"].index(code)
    sign_off = data["report_drafts"][0]["sign_offs"][index]
    sign_off["participant"] = d.delegates[code][2].user.username

    errors = import_errors(data)

    assert errors == [
        (
            f"report_drafts[0].sign_offs[{index}].participant",
            f"{sign_off['participant']!r} is not the head of {code}: only a "
            "delegation's head signs its report off",
        )
    ]
    assert report_state() == before


def test_the_import_refuses_unknown_people_and_remarks_with_their_paths(d):
    write_reports(d)
    data = json.loads(export_text(d.workshop))
    session = data["report_drafts"][0]
    session["revisions"][0]["author"] = "nobody"
    session["corrections"][1]["filed_by"] = "stranger"
    session["remarks"][0]["posted_at"] = "2020-01-01T00:00:00+00:00"
    ReportDraft.objects.all().delete()

    errors = import_errors(data)

    us = d.delegates["US"][1].user.username
    assert errors == [
        ("report_drafts[0].revisions[0].author", "'nobody' is not a user"),
        (
            "report_drafts[0].corrections[1].filed_by",
            "'stranger' is not a participant of this workshop",
        ),
        (
            "report_drafts[0].remarks[0]",
            f"this workshop has no remark by {us!r} on item 1.2 posted at "
            "2020-01-01T00:00:00+00:00",
        ),
    ]
    assert ReportDraft.objects.count() == 0


def test_the_import_command_names_the_field_and_writes_nothing(d, tmp_path):
    write_reports(d)
    data = json.loads(export_text(d.workshop))
    data["report_drafts"][0]["corrections"][0]["section"] = "preamble"
    data["title"] = "Renamed"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    title, before = d.workshop.title, report_state()

    with pytest.raises(CommandError) as excinfo:
        call_command("import_workshop", str(path))

    assert "report_drafts[0].corrections[0].section: 'preamble' is not a section" in (
        str(excinfo.value)
    )
    d.workshop.refresh_from_db()
    assert (d.workshop.title, report_state()) == (title, before)


# --- validation: pure ----------------------------------------------------------


def with_drafts(*drafts, **top) -> dict:
    data = small_file() | top
    data["sessions"][0]["items"][0]["points"] = ["A point."]
    data["report_drafts"] = list(drafts)
    return data


def draft(**changes) -> dict:
    return {
        "session": 1,
        "state": "in_review",
        "review_revision": 1,
        "remarks": [
            {
                "number": 1,
                "item": "1.1",
                "point": 1,
                "author": "cn-1",
                "posted_at": "2026-03-01T09:00:00+00:00",
            }
        ],
        "revisions": [
            {
                "number": 1,
                "author": "rapporteur",
                "takeaways": "One [#c1].\n\nTwo.",
                "narratives": {"1": "On the first."},
            }
        ],
        "corrections": [
            {
                "revision": 1,
                "section": "takeaways",
                "paragraph": 2,
                "kind": "other",
                "note": "Say more.",
                "filed_by": "us-2",
            }
        ],
        "sign_offs": [{"revision": 1, "delegation": "CN", "participant": "cn-1"}],
    } | changes


def test_validate_reads_a_draft():
    spec = validate(with_drafts(draft(), draft(session=None), venue="Geneva"))

    session, whole = spec.report_drafts
    assert (spec.venue, spec.paper_size) == ("Geneva", "a4")
    assert (session.session, session.revisions[0].narratives) == (
        1,
        ((1, "On the first."),),
    )
    assert (session.remarks[0].item, session.remarks[0].point) == ((1, 1), 1)
    assert (whole.session, session.corrections[0].paragraph) == (None, 2)
    assert validate(small_file()).report_drafts is None


def rev(**changes) -> list:
    return [draft()["revisions"][0] | changes]


def fix(**changes) -> list:
    return [draft()["corrections"][0] | changes]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (
            {"session": 9},
            ("report_drafts[0].session", "there is no session 9 in the file"),
        ),
        (
            {"state": "done"},
            (
                "report_drafts[0].state",
                "'done' is not one of drafting, in_review, final",
            ),
        ),
        (
            {"revisions": rev(narratives={"7": "x"})},
            ("report_drafts[0].revisions[0].narratives.7", "session 1 has no item 7"),
        ),
        (
            {"revisions": rev() + rev(number=3)},
            (
                "report_drafts[0].revisions[1].number",
                "must be 2: revisions are numbered 1, 2, … in order",
            ),
        ),
        (
            {"revisions": rev(convergence="As said [#c4].")},
            (
                "report_drafts[0].revisions[0].convergence",
                "cites [#c4], but the draft's remarks have no number 4: list the "
                "remark it cites",
            ),
        ),
        (
            {"corrections": fix(section="narrative:9")},
            (
                "report_drafts[0].corrections[0].section",
                "'narrative:9' is not a section of this report (takeaways, "
                "narrative:1, convergence, divergence, open_questions)",
            ),
        ),
        (
            {"corrections": fix(paragraph=3)},
            (
                "report_drafts[0].corrections[0].paragraph",
                "revision 1's takeaways has 2 paragraph(s), not 3",
            ),
        ),
        (
            {"corrections": fix(revision=2)},
            ("report_drafts[0].corrections[0].revision", "there is no revision 2"),
        ),
        (
            {"corrections": fix(kind="typo")},
            (
                "report_drafts[0].corrections[0].kind",
                "'typo' is not one of misstatement, attribution, translation, other",
            ),
        ),
        (
            {"corrections": fix(suggestion="See [#c2].")},
            (
                "report_drafts[0].corrections[0].suggestion",
                "cites [#c2], but the draft's remarks have no number 2: list the "
                "remark it cites",
            ),
        ),
        (
            {"sign_offs": [{"revision": 1, "delegation": "UK", "participant": "x"}]},
            (
                "report_drafts[0].sign_offs[0].delegation",
                "'UK' is not a delegation code of this workshop",
            ),
        ),
        (
            {"remarks": [draft()["remarks"][0] | {"item": "1.5"}]},
            (
                "report_drafts[0].remarks[0].item",
                "'1.5': there is no such item in the file",
            ),
        ),
        (
            {"remarks": [draft()["remarks"][0] | {"point": 2}]},
            ("report_drafts[0].remarks[0].point", "item 1.1 has no point 2"),
        ),
        (
            {"review_revision": 3},
            ("report_drafts[0].review_revision", "there is no revision 3"),
        ),
    ],
)
def test_validate_refuses_a_bad_draft_with_the_path(changes, error):
    assert errors_of(with_drafts(draft(**changes))) == [error]


def test_validate_refuses_two_drafts_of_one_session_and_a_bad_paper_size():
    errors = errors_of(with_drafts(draft(), draft(), paper_size="a5"))

    assert errors == [
        ("paper_size", "'a5' is not one of a4, letter"),
        ("report_drafts[1].session", "session 1 has two report drafts"),
    ]


def test_venue_and_paper_size_round_trip_through_the_import(db):
    spec = validate(small_file() | {"venue": "Geneva", "paper_size": "letter"})

    workshop = workshop_import(spec=spec).workshop

    data = workshop_export(workshop=workshop)
    assert (data["venue"], data["paper_size"]) == ("Geneva", "letter")
