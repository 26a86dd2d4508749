"""A session in draft is for its organisers and facilitators only.

Delegates (of either side), observers and rapporteurs get the 404 a
stranger gets on every page of a draft session: its page and live list, its
items and their discussion, its ranking, its measures, its summaries; it is
not listed on the home or workshop pages, and a measure linked to one of its
items is not there for them either.
"""

import pytest
from django.urls import reverse

from dialogue.models import Comment, Phase, Role, SummaryReport
from dialogue.services.measures import MeasureError, measure_create
from tests.builders import CONTENT, build_dialogue, make_participant

READERS = [
    pytest.param(Role.DELEGATE, "CN", id="delegate-CN"),
    pytest.param(Role.DELEGATE, "US", id="delegate-US"),
    pytest.param(Role.OBSERVER, None, id="observer"),
    pytest.param(Role.RAPPORTEUR, None, id="rapporteur"),
]
RUNNERS = [Role.ORGANISER, Role.FACILITATOR]


@pytest.fixture
def dialogue(workshop):
    """Session 1 running (its measure on CN's item), session 2 in draft with
    a comment and a summary left from before it went back to draft."""
    d = build_dialogue(workshop)
    draft = d.sessions[2]
    draft.phase = Phase.DRAFT
    draft.save(update_fields=["phase"])
    item = d.items[(2, 1)]
    comment = Comment.objects.create(
        item=item, author=d.delegates["US"][1], body="An early remark."
    )
    SummaryReport.objects.create(session=draft, version=1, confidentiality="chatham")
    return d, comment


def _session_urls(workshop, session, comment):
    slug, n = workshop.slug, session.number
    item = [slug, n, 1]
    return [
        reverse("session_detail", args=[slug, n]),
        reverse("session_live", args=[slug, n]),
        reverse("item_detail", args=item),
        reverse("item_discussion", args=item),
        reverse("ranking_page", args=[slug, n]),
        reverse("measure_board", args=[slug, n]),
        reverse("measure_session_counts", args=[slug, n]),
        reverse("measure_item_list", args=item),
        reverse("summary_list", args=[slug, n]),
        reverse("summary_status", args=[slug, n, 1]),
        reverse("summary_preview", args=[slug, n, 1]),
        reverse("comment_edit", args=[slug, comment.pk]),
    ]


@pytest.mark.parametrize(("role", "code"), READERS)
def test_every_page_of_a_draft_session_is_a_404_for_others(
    client, dialogue, role, code
):
    d, comment = dialogue
    reader = make_participant(d.workshop, role=role, code=code)
    client.force_login(reader.user)

    statuses = {
        url: client.get(url, HTTP_HX_REQUEST="true").status_code
        for url in _session_urls(d.workshop, d.sessions[2], comment)
    }

    assert statuses == dict.fromkeys(statuses, 404)


@pytest.mark.parametrize(("role", "code"), READERS)
def test_writes_to_a_draft_session_are_404_for_others(client, dialogue, role, code):
    d, comment = dialogue
    reader = make_participant(d.workshop, role=role, code=code)
    client.force_login(reader.user)
    slug = d.workshop.slug

    posts = [
        reverse("comment_create", args=[slug, 2, 1]),
        reverse("comment_endorse", args=[slug, comment.pk]),
        reverse("ranking_submit", args=[slug, 2]),
        reverse("summary_request", args=[slug, 2]),
        reverse("session_phase", args=[slug, 2]),
    ]
    statuses = {url: client.post(url, {"body": "x"}).status_code for url in posts}

    assert statuses == dict.fromkeys(posts, 404)
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("role", RUNNERS)
def test_organisers_and_facilitators_open_a_draft_session(client, dialogue, role):
    d, comment = dialogue
    runner = make_participant(d.workshop, role=role)
    client.force_login(runner.user)
    pages = [
        reverse("session_detail", args=[d.workshop.slug, 2]),
        reverse("item_detail", args=[d.workshop.slug, 2, 1]),
        reverse("measure_board", args=[d.workshop.slug, 2]),
        reverse("summary_list", args=[d.workshop.slug, 2]),
    ]

    statuses = {url: client.get(url).status_code for url in pages}

    assert statuses == dict.fromkeys(pages, 200)


@pytest.mark.parametrize(
    ("role", "code", "listed"),
    [
        (Role.DELEGATE, "CN", ["Session 1"]),
        (Role.DELEGATE, "US", ["Session 1"]),
        (Role.OBSERVER, None, ["Session 1"]),
        (Role.FACILITATOR, None, ["Session 1", "Session 2"]),
    ],
)
def test_home_and_workshop_pages_list_a_draft_only_to_those_running_it(
    client, dialogue, role, code, listed
):
    d, _comment = dialogue
    d.sessions[1].title, d.sessions[2].title = "Session 1", "Session 2"
    for session in d.sessions.values():
        session.save(update_fields=["title"])
    client.force_login(make_participant(d.workshop, role=role, code=code).user)

    home = client.get(reverse("home")).content.decode()
    workshop_page = client.get(d.workshop.get_absolute_url())

    assert [t for t in ("Session 1", "Session 2") if t in home] == listed
    assert [s.title for s in workshop_page.context["sessions"]] == listed


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_measure_on_a_draft_item_is_not_there_for_delegates(client, dialogue, code):
    d, _comment = dialogue
    facilitator = make_participant(d.workshop, role=Role.FACILITATOR)
    d.sessions[2].phase = Phase.OPEN
    d.sessions[2].save(update_fields=["phase"])
    measure = measure_create(
        proposer=d.delegates["US"][1], content=CONTENT, items=[d.items[(2, 1)]]
    )
    d.sessions[2].phase = Phase.DRAFT
    d.sessions[2].save(update_fields=["phase"])
    url = reverse("measure_detail", args=[d.workshop.slug, measure.pk])

    client.force_login(d.delegates[code][1].user)
    refused = client.get(url).status_code
    client.force_login(facilitator.user)
    shown = client.get(url).status_code

    assert (refused, shown) == (404, 200)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_cannot_link_a_measure_to_a_draft_item(client, dialogue, code):
    d, _comment = dialogue
    delegate = d.delegates[code][1]

    with pytest.raises(MeasureError) as refused:
        measure_create(proposer=delegate, content=CONTENT, items=[d.items[(2, 1)]])
    client.force_login(delegate.user)
    form_page = client.get(reverse("measure_create", args=[d.workshop.slug]))

    assert "items" in refused.value.message_dict
    offered = list(form_page.context["form"].fields["items"].queryset)
    assert offered == [d.items[(1, 1)], d.items[(1, 2)]]


def test_a_draft_session_page_costs_no_more_queries_for_its_facilitator(
    client, dialogue, django_assert_max_num_queries
):
    d, _comment = dialogue
    client.force_login(make_participant(d.workshop, role=Role.FACILITATOR).user)

    with django_assert_max_num_queries(20):
        response = client.get(reverse("session_detail", args=[d.workshop.slug, 2]))

    assert response.status_code == 200
