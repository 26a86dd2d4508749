"""compile_summary and simulate_activity from the command line."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from pypdf import PdfReader

from dialogue.models import (
    Comment,
    Endorsement,
    LinkVerdict,
    MeasurePackage,
    MeasureResponse,
    Participant,
    RankingRound,
    ReciprocalMeasure,
)
from tests.builders import docx_text, make_activity, make_ranking_session, pdf_text
from tests.factories import DelegationFactory, WorkshopFactory


def _workshop(slug):
    workshop = WorkshopFactory(slug=slug)
    DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars")
    DelegationFactory(workshop=workshop, code="US", name="American scholars")
    make_ranking_session(workshop, items=3, phase="closed")
    return workshop


@pytest.mark.parametrize("fmt", ["md", "docx", "pdf"])
def test_compile_summary_writes_each_format(workshop, tmp_path, fmt):
    activity = make_activity(workshop)
    out = tmp_path / f"summary.{fmt}"
    err = io.StringIO()

    call_command(
        "compile_summary",
        workshop.slug,
        str(activity.session.number),
        "--format",
        fmt,
        "-o",
        str(out),
        stderr=err,
    )

    data = out.read_bytes()
    if fmt == "md":
        assert data.decode().startswith("# Summary of session 1: Session")
    elif fmt == "docx":
        assert Document(io.BytesIO(data)).paragraphs[0].text.startswith("Summary")
    else:
        assert len(PdfReader(io.BytesIO(data)).pages) > 1
    assert err.getvalue() == (
        f"Wrote {out} ({len(data):,} bytes, Chatham House Rule).\n"
    )
    # No participant's username or email (all contain "zqx") in the text:
    # read from the document, not its compressed bytes, which can hold
    # those three letters by chance.
    text = {"md": lambda b: b.decode(), "docx": docx_text, "pdf": pdf_text}[fmt](data)
    assert "zqx" not in text.lower()


def test_compile_summary_can_override_the_mode(workshop, tmp_path):
    activity = make_activity(workshop)
    out = tmp_path / "summary.md"

    call_command(
        "compile_summary",
        workshop.slug,
        str(activity.session.number),
        "--confidentiality",
        "on_record",
        "-o",
        str(out),
        stderr=io.StringIO(),
    )

    assert "Zqxfirstcn1" in out.read_text()


def test_compile_summary_refuses_an_unknown_session(workshop):
    with pytest.raises(CommandError, match="There is no session 7"):
        call_command("compile_summary", workshop.slug, "7")


def test_simulate_activity_fills_a_session(db):
    workshop = _workshop("sim-a")
    out = io.StringIO()

    call_command(
        "simulate_activity",
        "sim-a",
        "--delegates",
        "6",
        "--comments",
        "40",
        "--seed",
        "3",
        stdout=out,
    )

    assert out.getvalue() == (
        f"Session 1 of “{workshop.title}”: 6 delegates, 40 comments, 6 rankings, "
        "2 measures, packages: 1, 1 link with verdicts, 2 responses, a report "
        "draft (3 revisions citing 15 remarks, drafting) (seed 3).\n"
    )
    assert (
        LinkVerdict.objects.filter(link__workshop=workshop)
        .exclude(decision="pending")
        .count()
        == 2
    )
    assert Participant.objects.filter(workshop=workshop).count() == 6
    assert Comment.objects.filter(item__session__workshop=workshop).count() == 40
    assert Comment.objects.filter(parent__isnull=False).count() == 12
    assert RankingRound.objects.get().closed_at is not None
    assert Endorsement.objects.count() == sum(
        Comment.objects.values_list("endorsement_count", flat=True)
    )
    assert ReciprocalMeasure.objects.count() == 2
    assert MeasureResponse.objects.exists()
    package = MeasurePackage.objects.get()
    assert sorted(package.members.values_list("pk", flat=True)) == sorted(
        ReciprocalMeasure.objects.values_list("pk", flat=True)
    )
    identities = Participant.objects.values_list(
        "user__username", "user__first_name", "user__email", "affiliation"
    )
    assert all("zqx" in value.lower() for row in identities for value in row)


def _activity_of(workshop):
    return sorted(
        Comment.objects.filter(item__session__workshop=workshop).values_list(
            "item__number", "body", "state", "endorsement_count"
        )
    )


def test_simulate_activity_is_deterministic_for_a_seed(db):
    first, second = _workshop("sim-a"), _workshop("sim-b")

    for slug in ("sim-a", "sim-b"):
        call_command(
            "simulate_activity",
            slug,
            "--comments",
            "30",
            "--seed",
            "9",
            stdout=io.StringIO(),
        )

    assert _activity_of(first) == _activity_of(second)


def test_simulate_activity_refuses_to_repeat_a_seed(db):
    _workshop("sim-a")
    call_command("simulate_activity", "sim-a", "--seed", "1", stdout=io.StringIO())

    with pytest.raises(CommandError, match="already simulated"):
        call_command("simulate_activity", "sim-a", "--seed", "1")


def test_simulate_activity_refuses_an_unknown_workshop(db):
    with pytest.raises(CommandError, match="There is no workshop 'nope'"):
        call_command("simulate_activity", "nope")
