"""The rapporteur's report: a built dialogue with its rapporteur and
facilitator, remarks to cite, and a draft written and sent for review."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from dialogue.models import Comment, CommentState, Participant, ReportDraft, Role
from dialogue.services.reports import (
    report_draft_for,
    report_save,
    report_send_for_review,
)
from tests.builders.dialogues import Dialogue, build_dialogue
from tests.builders.people import make_participant
from tests.factories import UserFactory


@dataclass
class ReportWorld:
    """A built dialogue (`d`), its rapporteur and facilitator, the draft of
    session 1 and a visible remark per item of it (`remarks[item number]`)."""

    d: Dialogue
    rapporteur: Participant
    facilitator: Participant
    draft: ReportDraft
    remarks: dict[int, Comment] = field(default_factory=dict)

    @property
    def session(self):
        return self.d.sessions[1]


def remark(item, author, body="A remark on this.", state=CommentState.VISIBLE):
    hidden = {"hidden_reason": "Off topic."} if state == CommentState.HIDDEN else {}
    return Comment.objects.create(
        item=item, author=author, body=body, state=state, **hidden
    )


def report_world(workshop) -> ReportWorld:
    d = build_dialogue(workshop)
    rapporteur = make_participant(
        workshop,
        role=Role.RAPPORTEUR,
        user=UserFactory(username=f"{workshop.slug}-rapporteur"),
    )
    facilitator = make_participant(
        workshop,
        role=Role.FACILITATOR,
        user=UserFactory(username=f"{workshop.slug}-facilitator"),
    )
    draft = report_draft_for(session=d.sessions[1])
    remarks = {
        n: remark(d.items[(1, n)], d.delegates["CN" if n == 1 else "US"][1])
        for n in (1, 2)
    }
    return ReportWorld(d, rapporteur, facilitator, draft, remarks)


def texts(**overrides) -> dict:
    """A report's text: two paragraphs of takeaways, a narrative on item 1."""
    return {
        "takeaways": "First takeaway.\n\nSecond takeaway.",
        "narratives": {"1": "On item one."},
        "convergence": "Both agree.",
        "divergence": "",
        "open_questions": "",
        **overrides,
    }


def write(world: ReportWorld, **overrides):
    """A new revision of the draft, made on the latest."""
    world.draft.refresh_from_db()
    return report_save(
        draft=world.draft,
        by=world.rapporteur,
        base=world.draft.revision,
        **texts(**overrides),
    )


def tomorrow():
    return timezone.now() + timedelta(days=1)


def in_review(world: ReportWorld, **overrides) -> ReportDraft:
    """The draft written and sent for review until tomorrow."""
    write(world, **overrides)
    draft = report_send_for_review(
        draft=world.draft, by=world.rapporteur, deadline=tomorrow()
    )
    world.draft = draft
    return draft


def report_url(name, draft, *extra):
    part = str(draft.session.number) if draft.session_id else "workshop"
    return reverse(name, args=[draft.workshop.slug, part, *extra])
