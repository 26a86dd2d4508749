"""Delegation names, workshop and session titles in the active language,
falling back to the other; the seeded workshop has Chinese names; the
admin edits them and the workshop file carries them."""

import copy

import pytest
from django.urls import reverse

from dialogue import naming
from dialogue.models import Delegation, Phase, Workshop
from dialogue.services.sessions import session_set_phase
from dialogue.workshop_file import WorkshopFileError, dump_workshop_file, validate
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import
from tests.builders import admin_organiser, make_participant, page_text, small_file

ZH = {"django_language": "zh-hans"}


def test_in_language_picks_the_active_language_else_the_other():
    assert naming.in_language("Chinese scholars", "中国学者", "zh-hans") == "中国学者"
    assert (
        naming.in_language("Chinese scholars", "中国学者", "en") == "Chinese scholars"
    )
    assert naming.in_language("Chinese scholars", "", "zh-hans") == "Chinese scholars"
    assert naming.in_language("", "中国学者", "en") == "中国学者"


def test_the_seeded_workshop_has_chinese_names(seeded):
    names = dict(seeded.delegations.values_list("code", "name_zh"))
    titles = list(seeded.sessions.values_list("title_zh", flat=True))

    assert seeded.title_zh == "对方应该做什么？"
    assert names == {"CN": "中国学者", "US": "美国学者"}
    assert titles == [
        "中国美国问题学者对美国政府的建议",
        "美国中国问题学者对中国政府的建议",
    ]
    assert seeded.time_zone == "Asia/Shanghai"


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_chinese_interface_shows_the_chinese_names(client, seeded, code):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    client.force_login(make_participant(seeded, code=code).user)
    for name, value in ZH.items():
        client.cookies[name] = value

    workshop = page_text(client.get(reverse("workshop_detail", args=[seeded.slug])))
    item = page_text(client.get(reverse("item_detail", args=[seeded.slug, 1, 1])))

    assert "<h1>对方应该做什么？</h1>" in workshop
    assert "中国学者" in workshop and "美国学者" in workshop
    assert "中国美国问题学者对美国政府的建议" in workshop
    assert "由 中国学者 向 美国学者 提出" in item
    assert "Chinese scholars" not in item
    assert "American scholars" not in item


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_english_interface_keeps_the_english_names(client, seeded, code):
    client.force_login(make_participant(seeded, code=code).user)

    workshop = page_text(client.get(reverse("workshop_detail", args=[seeded.slug])))

    assert "<h1>What Should the Other Side Do?</h1>" in workshop
    assert "Chinese scholars" in workshop and "American scholars" in workshop
    assert "中国学者" not in workshop


def test_a_blank_chinese_name_falls_back_to_the_english_one(client, seeded):
    seeded.delegations.filter(code="US").update(name_zh="")
    client.force_login(make_participant(seeded, code="US").user)
    for name, value in ZH.items():
        client.cookies[name] = value

    workshop = page_text(client.get(reverse("workshop_detail", args=[seeded.slug])))

    assert "American scholars" in workshop
    assert "中国学者" in workshop


def test_the_workshop_file_carries_names_and_time_zone(db):
    data = small_file()
    data["title_zh"] = "小型研讨会"
    data["time_zone"] = "America/New_York"
    data["delegations"][0]["name_zh"] = "中方"
    data["sessions"][0]["title_zh"] = "第一场"

    workshop = workshop_import(spec=validate(data)).workshop
    exported = workshop_export(workshop=workshop)

    workshop.refresh_from_db()
    assert workshop.title_zh == "小型研讨会"
    assert workshop.time_zone == "America/New_York"
    assert (
        workshop.delegations.get(code=data["delegations"][0]["code"]).name_zh == "中方"
    )
    assert workshop.sessions.get(number=1).title_zh == "第一场"
    assert exported["title_zh"] == "小型研讨会"
    assert exported["time_zone"] == "America/New_York"
    assert exported["delegations"][0]["name_zh"] == "中方"
    assert exported["sessions"][0]["title_zh"] == "第一场"
    assert validate(exported) == validate(data)


def test_a_file_without_the_new_keys_still_imports(db):
    workshop = workshop_import(spec=validate(small_file())).workshop

    assert (workshop.title_zh, workshop.time_zone) == ("", "UTC")
    assert set(workshop.delegations.values_list("name_zh", flat=True)) == {""}


def test_the_seed_file_is_the_export_of_the_seeded_workshop(seeded):
    with open(
        "dialogue/workshops/what-should-the-other-side-do.json", encoding="utf-8"
    ) as f:
        shipped = f.read()

    assert dump_workshop_file(workshop_export(workshop=seeded)) == shipped


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            lambda d: d.update(time_zone="Beijing"),
            "time_zone",
            "'Beijing' is not a time zone",
        ),
        (lambda d: d.update(title_zh=7), "title_zh", "must be a string, not a number"),
        (
            lambda d: d["delegations"][0].update(name_zh=["x"]),
            "delegations[0].name_zh",
            "must be a string, not a list",
        ),
        (
            lambda d: d["sessions"][0].update(title_zh="a\nb"),
            "sessions[0].title_zh",
            "",
        ),
    ],
)
def test_bad_names_or_zone_in_a_file_are_refused_by_field(db, change, path, message):
    data = copy.deepcopy(small_file())
    change(data)

    with pytest.raises(WorkshopFileError) as caught:
        validate(data)

    assert [p for p, _m in caught.value.errors] == [path]
    assert message in caught.value.errors[0][1]
    assert not Workshop.objects.exists()


def test_the_admin_edits_names_and_time_zone(admin_client, seeded):
    change = reverse("admin:dialogue_workshop_change", args=[seeded.pk])
    delegation = seeded.delegations.get(code="CN")

    page = page_text(admin_client.get(change))
    response = admin_client.post(
        reverse("admin:dialogue_delegation_change", args=[delegation.pk]),
        {
            "workshop": seeded.pk,
            "code": "CN",
            "name": "Chinese scholars",
            "name_zh": "中国学者代表团",
        },
    )

    assert 'name="title_zh"' in page
    assert (
        '<option value="Asia/Shanghai" selected>Asia/Shanghai (UTC+8)</option>' in page
    )
    assert 'name="delegations-0-name_zh"' in page
    assert 'name="sessions-0-title_zh"' in page
    assert response.status_code == 302
    assert Delegation.objects.get(pk=delegation.pk).name_zh == "中国学者代表团"


def _workshop_form(workshop, **changes):
    """The admin change form of `workshop` as the browser would post it."""
    data = {
        "title": workshop.title,
        "title_zh": workshop.title_zh,
        "slug": workshop.slug,
        "description": workshop.description,
        "confidentiality": workshop.confidentiality,
        "endorsement_rule": workshop.endorsement_rule,
        "time_zone": workshop.time_zone,
        "venue": workshop.venue,
        "paper_size": workshop.paper_size,
        "source_title": workshop.source_title,
        "source_authors": "\n".join(workshop.source_authors),  # one per line
        "source_date": workshop.source_date.isoformat() if workshop.source_date else "",
        "source_publisher": workshop.source_publisher,
        "source_url": workshop.source_url,
    }
    for prefix, rows, fields in (
        ("delegations", workshop.delegations.all(), ["code", "name", "name_zh"]),
        ("sessions", workshop.sessions.all(), ["number", "title", "title_zh"]),
    ):
        rows = list(rows)
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = row.pk
            data[f"{prefix}-{index}-workshop"] = workshop.pk
            for field in fields:
                data[f"{prefix}-{index}-{field}"] = getattr(row, field)
    return data | changes


def test_the_admin_saves_the_zone_and_names_and_refreshes_live_pages(
    admin_client, seeded
):
    change = reverse("admin:dialogue_workshop_change", args=[seeded.pk])
    versions = list(seeded.sessions.values_list("version", flat=True))
    before_authors = list(seeded.source_authors)

    response = admin_client.post(
        change,
        _workshop_form(
            seeded,
            time_zone="America/New_York",
            title_zh="对方该做什么",
            **{
                "sessions-1-title_zh": "美方学者的建议",
                "delegations-1-name_zh": "美方",
            },
        ),
    )

    seeded.refresh_from_db()
    assert response.status_code == 302, page_text(response)
    assert (seeded.time_zone, seeded.title_zh) == ("America/New_York", "对方该做什么")
    assert seeded.sessions.get(number=2).title_zh == "美方学者的建议"
    assert seeded.delegations.get(code="US").name_zh == "美方"
    after = list(seeded.sessions.values_list("version", flat=True))
    assert all(new > old for new, old in zip(after, versions, strict=True))
    assert seeded.source_authors == before_authors  # the editor kept them as they were


def test_the_admin_refuses_an_unknown_zone_and_changes_nothing(admin_client, seeded):
    change = reverse("admin:dialogue_workshop_change", args=[seeded.pk])

    response = admin_client.post(
        change, _workshop_form(seeded, time_zone="Beijing", title_zh="改了")
    )

    seeded.refresh_from_db()
    assert response.status_code == 200
    assert "Select a valid choice. Beijing is not one of the available choices." in (
        page_text(response)
    )
    assert (seeded.time_zone, seeded.title_zh) == ("Asia/Shanghai", "对方应该做什么？")
