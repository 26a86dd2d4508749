"""Secrets hold in the admin too: the confirmation pages that list what a
delete would remove name no ballot, for a round, a bulk delete of rounds, a
session, a workshop or a delegate; a private draft measure is not listed;
report drafts show where they stand, never their text, a correction's text
or who filed it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.models import (
    CorrectionKind,
    CorrectionStatus,
    Phase,
    ReportCorrection,
    ReportDraft,
    ReportRevision,
    ReportSignOff,
    ReportState,
    Role,
)
from dialogue.services.measures import measure_create
from dialogue.services.rankings import ranking_submit
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    CONTENT,
    admin_organiser,
    build_dialogue,
    count_get_queries,
    make_ranking_session,
)
from tests.factories import ParticipantFactory

BALLOTS_A = {"CN": [[1, 2, 3, 4], [2, 1, 3, 4]], "US": [[4, 3, 2, 1]]}
BALLOTS_B = {"CN": [[4, 3, 1, 2], [3, 4, 2, 1]], "US": [[1, 3, 4, 2]]}


def _normalised(text: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


@pytest.fixture
def ranked(workshop):
    session = make_ranking_session(workshop, items=4)
    delegates = {
        code: [
            ParticipantFactory(
                workshop=workshop,
                role=Role.DELEGATE,
                delegation=workshop.delegations.get(code=code),
            )
            for _ in orders
        ]
        for code, orders in BALLOTS_A.items()
    }
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    return workshop, session, delegates


def _cast(session, delegates, ballots):
    by_number = dict(session.items.values_list("number", "id"))
    for code, orders in ballots.items():
        for delegate, order in zip(delegates[code], orders, strict=True):
            ranking_submit(
                session=session,
                participant=delegate,
                order=[by_number[n] for n in order],
            )


def _confirmations(client, workshop, session, delegates) -> dict[str, str]:
    round_ = session.ranking_rounds.get()
    delegate = delegates["CN"][0]
    pages = {
        "round": client.get(
            reverse("admin:dialogue_rankinground_delete", args=[round_.pk])
        ),
        "rounds, bulk": client.post(
            reverse("admin:dialogue_rankinground_changelist"),
            {"action": "delete_selected", "_selected_action": [round_.pk]},
        ),
        "session": client.get(
            reverse("admin:dialogue_session_delete", args=[session.pk])
        ),
        "workshop": client.get(
            reverse("admin:dialogue_workshop_delete", args=[workshop.pk])
        ),
        "delegate": client.get(
            reverse("admin:dialogue_participant_delete", args=[delegate.pk])
        ),
    }
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(
        pages, 200
    )
    return {name: _normalised(r.content.decode()) for name, r in pages.items()}


def test_delete_confirmations_do_not_depend_on_the_ballots(client, ranked, organiser):
    workshop, session, delegates = ranked
    client.force_login(organiser)
    _cast(session, delegates, BALLOTS_A)
    with_a = _confirmations(client, workshop, session, delegates)

    _cast(session, delegates, BALLOTS_B)
    with_b = _confirmations(client, workshop, session, delegates)

    assert with_a == with_b
    for name, page in with_a.items():
        assert "A ballot of" in page, name


def test_a_private_draft_is_not_in_the_admin(client, organiser, workshop):
    d = build_dialogue(workshop)
    draft = measure_create(
        proposer=d.delegates["CN"][1],
        content=CONTENT,
        items=[d.items[(1, 1)]],
        propose=False,
    )
    client.force_login(organiser)

    changelist = client.get(reverse("admin:dialogue_reciprocalmeasure_changelist"))
    change = client.get(
        reverse("admin:dialogue_reciprocalmeasure_change", args=[draft.pk])
    )
    workshop_delete = client.get(
        reverse("admin:dialogue_workshop_delete", args=[workshop.pk])
    )

    assert changelist.status_code == 200
    assert CONTENT.title not in changelist.content.decode()
    assert change.status_code == 302  # the admin's "does not exist" redirect
    assert CONTENT.title not in workshop_delete.content.decode()
    assert "A draft measure (private to its proposer)" in (
        workshop_delete.content.decode()
    )


# --- the rapporteur's report drafts -------------------------------------------

DRAFT_TEXT = "Secret takeaway of the rapporteur"
NARRATIVE = "Secret narrative of item one"
NOTE = "Secret note of the filer"
SUGGESTION = "Secret suggested wording"
REASON = "Secret reason for declining"


def _report(d, code):
    """Session 1's draft in review, a correction from a delegate of `code`
    (declined), the head of `code` signed off."""
    draft = ReportDraft.objects.create(
        workshop=d.workshop,
        session=d.sessions[1],
        state=ReportState.IN_REVIEW,
        revision=1,
        review_deadline=timezone.now(),
    )
    revision = ReportRevision.objects.create(
        draft=draft, number=1, takeaways=DRAFT_TEXT, narratives={"1": NARRATIVE}
    )
    draft.review_revision = revision
    draft.save()
    ReportCorrection.objects.create(
        draft=draft,
        revision=revision,
        section="takeaways",
        paragraph=1,
        kind=CorrectionKind.MISSTATEMENT,
        note=NOTE,
        suggestion=SUGGESTION,
        filed_by=d.delegates[code][2],
        status=CorrectionStatus.DECLINED,
        reason=REASON,
    )
    ReportSignOff.objects.create(
        revision=revision, delegation=d.delegations[code], participant=d.head(code)
    )
    return draft


@pytest.mark.parametrize("code", ["CN", "US"])
def test_report_drafts_show_where_they_stand_but_no_text_and_no_filer(
    client, organiser, workshop, code
):
    d = build_dialogue(workshop)
    draft = _report(d, code)
    filer = d.delegates[code][2]
    client.force_login(organiser)

    pages = {
        "changelist": client.get(reverse("admin:dialogue_reportdraft_changelist")),
        "change": client.get(
            reverse("admin:dialogue_reportdraft_change", args=[draft.pk])
        ),
        "delete": client.get(
            reverse("admin:dialogue_reportdraft_delete", args=[draft.pk])
        ),
        "session": client.get(
            reverse("admin:dialogue_session_delete", args=[d.sessions[1].pk])
        ),
        "workshop": client.get(
            reverse("admin:dialogue_workshop_delete", args=[workshop.pk])
        ),
    }

    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(
        pages, 200
    )
    texts = [DRAFT_TEXT, NARRATIVE, NOTE, SUGGESTION, REASON]
    found = {
        name: [s for s in texts if s in r.content.decode()] for name, r in pages.items()
    }
    assert found == dict.fromkeys(pages, [])
    # The workshop's page lists its participants: the filer as any other.
    bystander = d.delegates[code][1]
    named = {
        name: (
            r.content.decode().count(filer.user.username),
            r.content.decode().count(bystander.user.username),
        )
        for name, r in pages.items()
    }
    assert named == dict.fromkeys(pages, (0, 0)) | {"workshop": named["workshop"]}
    assert named["workshop"][0] == named["workshop"][1]
    change = pages["change"].content.decode()
    for shown in ("In review", "1, of which 0 open", code):
        assert shown in change
    assert f'<td class="field-signed_off_by">{code}</td>' in (
        pages["changelist"].content.decode()
    )


def test_report_drafts_cannot_be_added_or_edited_in_the_admin(
    client, organiser, workshop
):
    d = build_dialogue(workshop)
    draft = _report(d, "CN")
    client.force_login(organiser)

    add = client.get(reverse("admin:dialogue_reportdraft_add"))
    post = client.post(
        reverse("admin:dialogue_reportdraft_change", args=[draft.pk]),
        {"state": ReportState.FINAL},
    )

    assert (add.status_code, post.status_code) == (403, 403)
    draft.refresh_from_db()
    assert draft.state == ReportState.IN_REVIEW


def test_the_report_draft_list_costs_the_same_for_one_draft_or_three(
    client, organiser, workshop
):
    d = build_dialogue(workshop)
    _report(d, "CN")
    client.force_login(organiser)
    url = reverse("admin:dialogue_reportdraft_changelist")
    one = count_get_queries(client, url)
    whole = ReportDraft.objects.create(workshop=workshop)
    ReportRevision.objects.create(draft=whole, number=1, takeaways="x")
    second = ReportDraft.objects.create(workshop=workshop, session=d.sessions[2])
    ReportRevision.objects.create(draft=second, number=1, takeaways="y")

    three = count_get_queries(client, url)

    assert three == one
