"""What ``simulate_activity`` writes that is not a command's plumbing: the
synthetic words and moments it uses, and the rapporteur's report draft.

Deterministic for a given random generator; every name, username, email and
affiliation it makes contains ``MARKER``, so the leak tests can look for it.
"""

import random
from datetime import UTC, datetime, timedelta

from dialogue.models import (
    Comment,
    CommentState,
    CorrectionKind,
    Participant,
    ReportCorrection,
    ReportDraft,
    ReportRevision,
    ReportState,
    Role,
    Stance,
)
from dialogue.report_text import citation, cited_ids

MARKER = "Zqx"
_VOCABULARY = (
    "dialogue trust channel military crisis trade tariff student exchange "
    "climate health fentanyl visa journalist consulate summit hotline "
    "transparency verification restraint cooperation investment technology "
    "export control sanction alliance region stability guardrail dialogue "
    "confidence measure risk reduction communication people ties norms"
)
WORDS = tuple(_VOCABULARY.split())
STANCE_WEIGHTS = {
    Stance.SUPPORT: 5,
    Stance.SUPPORT_WITH_CHANGES: 3,
    Stance.OPPOSE: 2,
    Stance.CLARIFY: 1,
}
BASE_TIME = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def sentence(rng: random.Random, question: bool = False) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 24))
    text = " ".join(words).capitalize()
    return text + ("?" if question else ".")


def body(rng: random.Random) -> str:
    sentences = [sentence(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.15:
        sentences.append(sentence(rng, question=True))
    return " ".join(sentences)


def report_draft(rng, session, items, people, *, review, citations) -> str:
    """The session's report draft (unless it has one): two or three
    revisions by the workshop's rapporteur, each citing visible remarks
    of the new delegates (the last, `citations` of them in its items'
    narratives if given); sent for review, one correction from each side.

    Writes the rows directly; the report services do the same with their
    rules checked, and this is the one place to switch to them."""
    if ReportDraft.objects.filter(session=session).exists():
        return "no report draft"
    rapporteurs = Participant.objects.filter(
        workshop=session.workshop, role=Role.RAPPORTEUR
    ).select_related("user")
    rapporteur = rapporteurs.order_by("id").first()
    remarks = {}
    visible = (
        Comment.objects.filter(
            item__in=items, author__in=people, state=CommentState.VISIBLE
        )
        .order_by("created_at", "id")
        .values_list("item_id", "pk")
    )
    for item_id, pk in visible:
        remarks.setdefault(item_id, []).append(pk)

    def cite(item, count=1) -> str:
        chosen = remarks.get(item.pk, [])
        picked = rng.sample(chosen, min(count, len(chosen)))
        return "".join(f" {citation(pk)}" for pk in picked)

    draft = ReportDraft.objects.create(workshop=session.workshop, session=session)
    cited = set()
    last = rng.randint(2, 3)
    for number in range(1, last + 1):
        per_item = [1] * len(items)
        if citations is not None and number == last:
            per_item = [
                citations // len(items) + (i < citations % len(items))
                for i in range(len(items))
            ]
        texts = {
            "takeaways": f"{sentence(rng)}{cite(items[0])}\n\n{sentence(rng)}",
            "narratives": {
                str(item.number): f"{body(rng)}{cite(item, k)}"
                for item, k in zip(items, per_item, strict=True)
            },
            "convergence": sentence(rng),
            "divergence": f"{sentence(rng)}{cite(rng.choice(items))}",
            "open_questions": sentence(rng, question=True),
        }
        revision = ReportRevision.objects.create(
            draft=draft,
            number=number,
            author=rapporteur.user if rapporteur else None,
            **texts,
        )
        words = [texts["takeaways"], texts["divergence"]]
        cited |= set(cited_ids(" ".join([*words, *texts["narratives"].values()])))
    draft.revision = revision.number
    if review:
        draft.state = ReportState.IN_REVIEW
        draft.review_revision = revision
        draft.sent_for_review_at = BASE_TIME + timedelta(days=1)
        draft.review_deadline = BASE_TIME + timedelta(days=4)
        by_side = {p.delegation_id: p for p in reversed(people)}  # sides' first
        ReportCorrection.objects.bulk_create(
            ReportCorrection(
                draft=draft,
                revision=revision,
                section=section,
                paragraph=1,
                kind=rng.choice(list(CorrectionKind)),
                note=sentence(rng),
                suggestion=sentence(rng),
                filed_by=filer,
            )
            for filer, section in zip(
                by_side.values(),
                ["takeaways", f"narrative:{items[0].number}"],
                strict=False,
            )
        )
    draft.save()
    state = "in review" if review else "drafting"
    return (
        f"a report draft ({revision.number} revisions citing {len(cited)} "
        f"remarks, {state})"
    )
