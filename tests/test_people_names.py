"""One display name everywhere inside a workshop: full name, else username;
never a username on a page a delegate reads (from each side)."""

import pytest
from django.urls import reverse

from dialogue import naming
from dialogue.models import Comment, Phase
from dialogue.services.comments import comment_endorse
from dialogue.services.measures import measure_answer, measure_endorse
from dialogue.services.sessions import session_set_phase
from dialogue.summary.attribution import People
from tests.builders import (
    admin_organiser,
    delegate_pages,
    give_names,
    login,
    page_text,
    propose,
)


def test_person_name_is_the_full_name_else_the_username():
    assert naming.person_name("Wei", "Li", "cn-delegate-1") == "Wei Li"
    assert naming.person_name("", "Li", "cn-delegate-1") == "Li"
    assert naming.person_name(" ", "", "cn-delegate-1") == "cn-delegate-1"


def _activity(d, code):
    """The other side comments, proposes a measure and endorses it; `code`
    endorses the comment and answers the measure."""
    other = d.other(code)
    for session in d.sessions.values():
        session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    comment = Comment.objects.create(
        item=d.item_of(other), author=d.delegates[other][1], body="A remark."
    )
    comment_endorse(participant=d.delegates[code][1], comment=comment)
    measure = propose(d, other, who=1)
    measure_answer(
        measure=measure, by=d.delegates[code][2], stance="support", reason="Yes."
    )
    measure_endorse(measure=measure, delegation=d.delegations[other], by=d.head(other))
    return comment, measure


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_reads_names_never_usernames(client, d, code):
    names = give_names(d)
    comment, measure = _activity(d, code)
    other = d.other(code)
    reader = login(client, d.delegates[code][1])
    pages = delegate_pages(d, code) + [
        reverse("measure_detail", args=[d.workshop.slug, measure.pk])
    ]

    texts = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        texts[path] = page_text(response)

    for path, text in texts.items():
        leaked = [username for username in names if username in text]
        assert leaked == [], path
        assert f"Signed in as {reader.display_name}" in text, path
    item_page = texts[d.item_of(other).get_absolute_url()]
    measure_page = texts[pages[-1]]
    assert names[comment.author.user.username] in item_page
    proposer, head = d.delegates[other][1], d.head(other)
    responder = d.delegates[code][2]
    assert f"Proposed by {proposer.display_name}" in measure_page
    assert f"Endorsed by its head ({head.display_name})" in measure_page
    assert f"<strong>{responder.display_name}</strong>" in measure_page
    # The history names its actors the same way.
    assert f"{head.display_name}:" in measure_page


@pytest.mark.parametrize("code", ["CN", "US"])
def test_without_a_full_name_the_username_is_the_display_name(client, d, code):
    author = d.delegates[d.other(code)][2]
    session_set_phase(
        session=d.item_of(d.other(code)).session, phase=Phase.OPEN, by=admin_organiser()
    )
    Comment.objects.create(item=d.item_of(d.other(code)), author=author, body="Hi.")
    login(client, d.delegates[code][1])

    text = page_text(client.get(d.item_of(d.other(code)).get_absolute_url()))

    assert author.display_name == author.user.username
    assert f"<strong>{author.user.username}</strong>" in text


def test_the_on_the_record_summary_uses_the_same_display_name(d):
    rows = [
        {
            "id": 1,
            "role": "delegate",
            "delegation_id": d.delegations["CN"].pk,
            "user__username": "cn-x",
            "user__first_name": "Wei",
            "user__last_name": "Li",
            "affiliation": "",
        },
        {
            "id": 2,
            "role": "delegate",
            "delegation_id": d.delegations["US"].pk,
            "user__username": "us-x",
            "user__first_name": "",
            "user__last_name": "",
            "affiliation": "",
        },
    ]
    people = People(
        rows,
        mode="on_record",
        delegations={dl.pk: dl.display_name for dl in d.delegations.values()},
    )

    assert people.attribution(1) == "Wei Li (Chinese scholars)"
    assert people.attribution(2) == "us-x (American scholars)"
