"""The shipped workshop: the source document, faithfully."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from dialogue.models import AgendaItem, AgendaPoint, Delegation, Session, Workshop
from dialogue.workshop_file import dump_workshop_file
from dialogue.workshop_file.exporter import workshop_export

SEED = (
    Path(__file__).resolve().parent.parent
    / "dialogue/workshops/what-should-the-other-side-do.json"
)
SOURCE = Path(__file__).resolve().parents[2] / "shared/source/000_0fc15b48403d60c5.txt"

# The twelve headings, copied from the source document (typography included).
CHINESE_TITLES = [
    "Make stabilizing U.S.-China relations a fundamental goal",
    "Promptly resolve U.S.-China strategic perception issues to reduce misjudgment",
    "Respect each other’s core national interests",
    "Accelerate practical cooperation between the United States and China",
    "Facilitate communication and exchanges between the two peoples",
    "Proactively address domestic issues without shifting blame",
]
AMERICAN_TITLES = [
    "Pursue personal diplomacy and reduce volatility in the bilateral relationship",
    "Find ways for acceptable economic co-existence",
    "Address American concerns seriously",
    "Take necessary steps to facilitate meaningful people-to-people and academic "
    "exchange",
    "Deescalate tension over Taiwan by communicating a commitment to peaceful "
    "unification with no deadlines",
    "Be specific on where to initiate cooperation with Washington on multilateral "
    "issues",
]


def test_seed_loads_the_source_citation(seeded):
    workshop = seeded

    assert workshop.title == "What Should the Other Side Do?"
    assert workshop.source_authors == ["LIU Weidong", "SHI Peipei", "WANG Jun"]
    assert workshop.source_date.isoformat() == "2025-02-13"
    assert workshop.source_publisher == "U.S.-China Perception Monitor"
    assert workshop.confidentiality == "chatham_house"


def test_seed_has_two_delegations_and_two_sessions(seeded):
    delegations = list(seeded.delegations.values_list("code", "name"))
    sessions = list(seeded.sessions.values_list("number", "title"))

    assert delegations == [("CN", "Chinese scholars"), ("US", "American scholars")]
    assert sessions == [
        (
            1,
            "Suggestions for the U.S. Government from Chinese Scholars of the "
            "United States",
        ),
        (2, "Suggestions for the Chinese Government from American Scholars of China"),
    ]


def test_seed_has_twelve_items_with_the_source_titles(seeded):
    def titles(number):
        return list(
            AgendaItem.objects.filter(session__number=number)
            .order_by("number")
            .values_list("number", "title", "proposed_by__code", "addressed_to__code")
        )

    assert AgendaItem.objects.count() == 12
    assert titles(1) == [(n, t, "CN", "US") for n, t in enumerate(CHINESE_TITLES, 1)]
    assert titles(2) == [(n, t, "US", "CN") for n, t in enumerate(AMERICAN_TITLES, 1)]


def test_seed_american_item_3_has_its_six_asks(seeded):
    item = AgendaItem.objects.get(session__number=2, number=3)

    points = list(item.points.values_list("position", "text"))

    assert [position for position, _ in points] == [1, 2, 3, 4, 5, 6]
    assert points[0][1].startswith(
        "Chinese government should stop cyberattacks on American commercial entities"
    )
    assert points[5][1].startswith(
        "Agree to receive illegal immigrants from China that are deported"
    )


def test_seed_american_items_4_and_6_have_their_steps_and_questions(seeded):
    steps = AgendaItem.objects.get(session__number=2, number=4).points.all()
    questions = AgendaItem.objects.get(session__number=2, number=6).points.all()

    assert [p.text.split(",")[0] for p in steps] == [
        "First",
        "Second",
        "Third",
        "Fourth",
    ]
    assert len(questions) == 6
    assert questions[0].text.startswith("President Trump would like to see a ceasefire")


def test_seed_every_item_has_sub_points_on_both_sides(seeded):
    """Both delegations' recommendations get anchors for discussion."""
    counts = {
        (item.session.number, item.number): item.points.count()
        for item in AgendaItem.objects.select_related("session")
    }

    assert all(count >= 2 for count in counts.values()), counts


def test_seed_text_is_verbatim_from_the_source():
    """Every paragraph of every item comes from the source, unchanged; nothing
    of an item's text is lost (points that quote the body add nothing new)."""
    if not SOURCE.exists():
        pytest.skip(f"the source document is not beside the repository ({SOURCE})")
    source = SOURCE.read_text(encoding="utf-8")
    data = json.loads(SEED.read_text(encoding="utf-8"))

    for session in data["sessions"]:
        for item in session["items"]:
            assert f"{item['number']}. {item['title']}\n" in source
            for paragraph in item["body"].split("\n\n"):
                assert f"{paragraph}\n" in source, paragraph[:60]
            for point in item["points"]:
                # A point addressed to both governments is an object.
                point = point["text"] if isinstance(point, dict) else point
                assert point in source, point[:60]


def test_seed_twice_changes_nothing(seeded):
    def snapshot():
        return [
            sorted(
                (model_to_dict(o) | {"pk": o.pk} for o in model.objects.all()),
                key=lambda row: row["pk"],
            )
            for model in (Workshop, Delegation, Session, AgendaItem, AgendaPoint)
        ] + [list(Workshop.objects.values_list("updated_at", flat=True))]

    before = snapshot()
    out = io.StringIO()

    call_command("seed_workshop", stdout=out)

    assert snapshot() == before
    assert out.getvalue() == (
        "Seeded workshop 'what-should-the-other-side-do': no changes.\n"
    )


def test_seed_file_is_the_canonical_export(seeded):
    """The shipped file is exactly what export_workshop prints for it."""
    exported = dump_workshop_file(workshop_export(workshop=seeded))

    assert exported == SEED.read_text(encoding="utf-8")
