"""The report pages: the index, the draft page, the review page, and each
action, for every role and for strangers (404); wrong methods; query
counts that stay flat."""

import pytest
from django.urls import reverse

from dialogue.models import ReportCorrection, ReportRevision, ReportSignOff
from dialogue.services.reports import (
    report_correction_file,
    report_draft_for,
    report_release,
    report_sign_off,
)
from tests.builders import (
    count_get_queries,
    in_review,
    login,
    page_text,
    report_url,
    report_world,
    texts,
    write,
)
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(workshop):
    return report_world(workshop)


def _post_save(client, world, **overrides):
    data = texts(**overrides)
    narratives = data.pop("narratives")
    world.draft.refresh_from_db()
    form = {"base": overrides.pop("base", world.draft.revision), **data}
    form |= {f"narrative_{n}": text for n, text in narratives.items()}
    return client.post(report_url("report_save", world.draft), form)


def test_index_lists_each_session_and_the_workshop_report(client, world):
    write(world)
    login(client, world.d.head("CN"))

    response = client.get(reverse("reports_index", args=[world.d.workshop.slug]))

    text = page_text(response)
    assert response.status_code == 200
    assert [f'id="report-{p}"' in text for p in ("1", "2", "workshop")] == [True] * 3
    assert "Drafting" in text


@pytest.mark.parametrize("who", ["stranger", "other"])
def test_strangers_get_404_everywhere(
    client, world, stranger, other_workshop_member, who
):
    in_review(world)
    client.force_login(stranger if who == "stranger" else other_workshop_member.user)
    urls = [reverse("reports_index", args=[world.d.workshop.slug])] + [
        report_url(name, world.draft) for name in ("report_draft", "report_review")
    ]

    statuses = [client.get(url).status_code for url in urls]
    posts = [
        client.post(report_url(name, world.draft), {}).status_code
        for name in ("report_save", "report_correction_file", "report_sign_off")
    ]

    assert (statuses, posts) == ([404] * 3, [404] * 3)


@pytest.mark.parametrize(
    ("role", "status"),
    [("rapporteur", 200), ("facilitator", 200), ("head", 404), ("observer", 404)],
)
def test_the_draft_page_is_for_the_rapporteur_and_the_facilitator(
    client, world, role, status
):
    write(world)
    who = {
        "rapporteur": world.rapporteur,
        "facilitator": world.facilitator,
        "head": world.d.head("US"),
        "observer": world.d.observer,
    }[role]
    login(client, who)

    response = client.get(report_url("report_draft", world.draft))

    assert response.status_code == status


def test_the_draft_page_has_a_field_per_item_and_the_picker(client, world):
    login(client, world.rapporteur)

    text = page_text(client.get(report_url("report_draft", world.draft)))

    assert 'name="narrative_1"' in text and 'name="narrative_2"' in text
    assert f"[#c{world.remarks[1].pk}]" in text
    assert 'class="cite-insert"' in text and "report_cite.js" in text


def test_the_workshop_draft_has_a_narrative_per_session(client, world):
    login(client, world.rapporteur)

    text = page_text(
        client.get(reverse("report_draft", args=[world.d.workshop.slug, "workshop"]))
    )

    assert ('name="narrative_1"' in text, 'name="narrative_2"' in text) == (True, True)


def test_rapporteur_saves_and_a_stale_save_shows_both_texts(client, world):
    login(client, world.rapporteur)

    first = _post_save(client, world)
    write(world, takeaways="Written meanwhile by the rapporteur elsewhere.")
    stale = _post_save(client, world, takeaways="My own words.", base=1)

    text = page_text(stale)
    assert (first.status_code, stale.status_code) == (302, 409)
    assert "Written meanwhile by the rapporteur elsewhere." in text
    assert "My own words." in text
    assert ReportRevision.objects.count() == 2


def test_a_bad_citation_is_a_form_error_not_a_500(client, world):
    login(client, world.rapporteur)

    response = _post_save(client, world, takeaways="See [#c999999].")

    assert response.status_code == 400
    assert "[#c999999]: not a visible remark of this session" in page_text(response)


def test_a_delegate_cannot_save(client, world):
    login(client, world.d.head("CN"))

    response = _post_save(client, world)

    assert (response.status_code, ReportRevision.objects.count()) == (404, 0)


def test_send_for_review_from_the_page(client, world):
    write(world)
    login(client, world.rapporteur)

    missing = client.post(report_url("report_send", world.draft), {})
    sent = client.post(
        report_url("report_send", world.draft), {"deadline": "2099-01-01T10:00"}
    )

    world.draft.refresh_from_db()
    assert (missing.status_code, sent.status_code) == (400, 302)
    assert world.draft.state == "in_review"


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_review_page_for_a_delegate_shows_paragraphs_and_the_deadline(
    client, world, code
):
    world.d.workshop.time_zone = "Asia/Shanghai"
    world.d.workshop.save()
    in_review(world, takeaways=f"First.\n\nAs one said [#c{world.remarks[1].pk}].")
    login(client, world.d.delegates[code][2])

    text = page_text(client.get(report_url("report_review", world.draft)))

    assert 'id="para-takeaways-2"' in text
    assert f'#comment-{world.remarks[1].pk}"' in text
    assert "UTC+8" in text
    assert 'id="para-takeaways-2-note"' in text


def test_the_review_page_is_404_before_review_for_participants(client, world):
    write(world)
    login(client, world.d.head("CN"))

    response = client.get(report_url("report_review", world.draft))

    assert response.status_code == 404


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_files_a_correction_and_sees_only_their_own(client, world, code):
    in_review(world)
    other = world.d.delegates[world.d.other(code)][1]
    report_correction_file(
        draft=world.draft,
        by=other,
        section="takeaways",
        paragraph=1,
        kind="other",
        note="Theirs, not mine.",
    )
    login(client, world.d.delegates[code][2])

    filed = client.post(
        report_url("report_correction_file", world.draft),
        {
            "section": "takeaways",
            "paragraph": 2,
            "kind": "translation",
            "note": "Mine.",
            "suggestion": "",
        },
    )
    text = page_text(client.get(report_url("report_review", world.draft)))

    assert filed.status_code == 302
    assert ("Mine." in text, "Theirs, not mine." in text) == (True, False)
    assert ReportCorrection.objects.count() == 2


def test_a_correction_on_a_missing_paragraph_is_a_400(client, world):
    in_review(world)
    login(client, world.d.head("CN"))

    response = client.post(
        report_url("report_correction_file", world.draft),
        {"section": "takeaways", "paragraph": 9, "kind": "other", "note": "?"},
    )

    assert response.status_code == 400
    assert "There is no such paragraph in the revision under review." in page_text(
        response
    )


def test_the_rapporteur_resolves_from_the_page(client, world):
    in_review(world)
    correction = report_correction_file(
        draft=world.draft,
        by=world.d.head("US"),
        section="takeaways",
        paragraph=2,
        kind="misstatement",
        note="Wrong.",
        suggestion="Right.",
    )
    login(client, world.rapporteur)
    url = reverse(
        "report_correction_resolve", args=[world.d.workshop.slug, "1", correction.pk]
    )

    no_reason = client.post(url, {"decision": "decline", "reason": ""})
    accepted = client.post(url, {"decision": "accept", "apply": "on"})

    correction.refresh_from_db()
    assert (no_reason.status_code, accepted.status_code) == (400, 302)
    assert (correction.status, correction.applied_in.takeaways) == (
        "accepted",
        "First takeaway.\n\nRight.",
    )


@pytest.mark.parametrize("code", ["CN", "US"])
def test_each_head_signs_off_from_the_page(client, world, code):
    in_review(world)
    login(client, world.d.head(code))

    page = page_text(client.get(report_url("report_review", world.draft)))
    response = client.post(report_url("report_sign_off", world.draft))

    assert 'id="report-sign-off"' in page
    assert response.status_code == 302
    assert list(ReportSignOff.objects.values_list("delegation__code", flat=True)) == [
        code
    ]


def test_a_delegate_not_head_gets_403_on_sign_off(client, world):
    in_review(world)
    login(client, world.d.delegates["CN"][1])

    response = client.post(report_url("report_sign_off", world.draft))

    assert (response.status_code, ReportSignOff.objects.count()) == (403, 0)


def test_release_from_the_page_after_both_sign_offs(client, world):
    in_review(world)
    login(client, world.rapporteur)
    before = page_text(client.get(report_url("report_review", world.draft)))
    for code in ("CN", "US"):
        client.force_login(world.d.head(code).user)
        client.post(report_url("report_sign_off", world.draft))
    login(client, world.rapporteur)

    page = page_text(client.get(report_url("report_review", world.draft)))
    response = client.post(report_url("report_release", world.draft))

    world.draft.refresh_from_db()
    assert 'id="release-note"' in before and 'id="report-release"' in page
    assert (response.status_code, world.draft.state) == (302, "final")


@pytest.mark.parametrize(
    "name",
    [
        "report_save",
        "report_send",
        "report_correction_file",
        "report_sign_off",
        "report_release",
    ],
)
def test_actions_refuse_get(client, world, name):
    in_review(world)
    login(client, world.rapporteur)

    assert client.get(report_url(name, world.draft)).status_code == 405


def test_pages_refuse_post(client, world):
    in_review(world)
    login(client, world.rapporteur)

    statuses = [
        client.post(reverse("reports_index", args=[world.d.workshop.slug])).status_code,
        client.post(report_url("report_draft", world.draft)).status_code,
        client.post(report_url("report_review", world.draft)).status_code,
    ]

    assert statuses == [405, 405, 405]


def test_the_index_query_count_is_flat(client, world):
    login(client, world.rapporteur)
    url = reverse("reports_index", args=[world.d.workshop.slug])
    report_draft_for(workshop=world.d.workshop)
    few = count_get_queries(client, url)
    for number in (3, 4, 5):
        report_draft_for(
            session=SessionFactory(workshop=world.d.workshop, number=number)
        )

    many = count_get_queries(client, url)

    assert few == many


def test_the_review_query_count_is_flat(client, world):
    in_review(world)
    login(client, world.rapporteur)
    url = report_url("report_review", world.draft)

    def file(by):
        report_correction_file(
            draft=world.draft,
            by=by,
            section="takeaways",
            paragraph=1,
            kind="other",
            note="A note.",
        )

    file(world.d.head("CN"))
    one = count_get_queries(client, url)
    file(world.d.head("US"))
    file(world.d.observer)
    three = count_get_queries(client, url)

    assert one == three


def test_the_facilitator_reads_the_draft_but_has_no_form(client, world):
    write(world, takeaways=f"Read this [#c{world.remarks[1].pk}].")
    login(client, world.facilitator)

    text = page_text(client.get(report_url("report_draft", world.draft)))

    assert ('id="report-latest"' in text, 'id="report-form"' in text) == (True, False)
    assert f'#comment-{world.remarks[1].pk}"' in text


def test_the_facilitator_gets_403_on_save(client, world):
    login(client, world.facilitator)

    response = _post_save(client, world)

    assert (response.status_code, ReportRevision.objects.count()) == (403, 0)


def test_user_text_is_escaped_on_the_review_page(client, world):
    in_review(world, takeaways="<script>alert(1)</script>")
    login(client, world.d.head("CN"))

    text = page_text(client.get(report_url("report_review", world.draft)))

    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_a_final_report_lists_its_final_version_and_has_no_form(client, world):
    in_review(world)
    for code in ("CN", "US"):
        report_sign_off(draft=world.draft, by=world.d.head(code))
    report_release(draft=world.draft, by=world.rapporteur)
    login(client, world.rapporteur)

    review = page_text(client.get(report_url("report_review", world.draft)))
    draft = page_text(client.get(report_url("report_draft", world.draft)))

    assert 'id="final-v1"' in review and 'id="report-release"' not in review
    assert ('id="report-form"' in draft, 'id="report-latest"' in draft) == (
        False,
        True,
    )


def test_sending_again_proposes_the_last_deadline(client, world):
    in_review(world)
    login(client, world.rapporteur)

    text = page_text(client.get(report_url("report_draft", world.draft)))

    assert 'name="deadline" value="' in text
