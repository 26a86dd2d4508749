"""The rapporteur's report drafts in the workshop file, both ways:
`export_report_drafts` reads them into the file's "report_drafts" key, and
`import_report_drafts` makes the database say what a validated file says.

Like the response round, this is the organiser's full backup (drafts not
yet sent for review, every correction and who filed it); it is reached only
from the admin's export and `manage.py export_workshop`.

Citations. The database's texts cite a remark by its comment id,
``[#c123]``; ids are not the same in another database, so the file numbers
the remarks a draft cites 1, 2, ... in the order first cited (revisions in
order, each in the report's order of sections, then the corrections) and
lists each under "remarks" with the key that finds it again: its item (and
point), its author and when it was posted. The export rewrites ``[#c123]``
to ``[#c1]``; the import finds each listed remark and rewrites back to its
id. A cited remark that no longer exists is exported as ``REMOVED``.

Drafts are matched by session number (none: the workshop's report). One
whose contents in the file differ from the database's is replaced as a
whole (its revisions, corrections and sign-offs), and one the file does not
list is deleted, so importing the same file twice changes nothing. A
revision's, correction's or sign-off's time left out of a hand-written file
matches any.
"""

import dataclasses

from django.contrib.auth import get_user_model
from django.db.models import Prefetch

from dialogue.models import (
    Comment,
    Participant,
    ReportCorrection,
    ReportDraft,
    ReportRevision,
    ReportSignOff,
    Workshop,
)
from dialogue.report_text import CITATION, citation, cited_ids
from dialogue.workshop_file.rows import ImportResult
from dialogue.workshop_file.spec import (
    ReportCorrectionSpec,
    ReportDraftSpec,
    ReportRemarkSpec,
    ReportRevisionSpec,
    ReportSignOffSpec,
    WorkshopFileError,
    WorkshopSpec,
)

REMOVED = "[remark removed]"
LABEL = "report drafts"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


# --- reading the database ------------------------------------------------------


def _drafts(workshop: Workshop) -> list[ReportDraft]:
    drafts = (
        ReportDraft.objects.filter(workshop=workshop)
        .select_related("session", "review_revision", "released_by")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=ReportRevision.objects.select_related("author")
                .prefetch_related(
                    Prefetch(
                        "sign_offs",
                        queryset=ReportSignOff.objects.select_related(
                            "delegation", "participant__user"
                        ),
                    )
                )
                .order_by("number"),
            ),
            Prefetch(
                "corrections",
                queryset=ReportCorrection.objects.select_related(
                    "revision", "applied_in", "filed_by__user", "resolved_by"
                ).order_by("created_at", "id"),
            ),
        )
    )
    return sorted(drafts, key=_draft_order)


def _draft_order(draft: ReportDraft) -> tuple:
    # Sessions' reports in session order, the workshop's report last.
    return (draft.session_id is None, draft.session.number if draft.session_id else 0)


def _texts(draft: ReportDraft) -> list[str]:
    """Every text of a draft that may cite, in the order the file numbers
    its remarks."""
    texts = []
    for rev in draft.revisions.all():
        texts.append(rev.takeaways)
        texts += [rev.narratives[k] for k in sorted(rev.narratives, key=int)]
        texts += [rev.convergence, rev.divergence, rev.open_questions]
    for correction in draft.corrections.all():
        texts += [correction.note, correction.suggestion]
    return texts


def _db_spec(draft: ReportDraft, rewrite, remarks=()) -> ReportDraftSpec:
    """The draft as the file's spec, its texts passed through `rewrite`."""
    revisions = list(draft.revisions.all())
    return ReportDraftSpec(
        session=draft.session.number if draft.session_id else None,
        state=draft.state,
        review_revision=draft.review_revision.number
        if draft.review_revision_id
        else None,
        review_deadline=draft.review_deadline,
        sent_for_review_at=draft.sent_for_review_at,
        released_at=draft.released_at,
        released_by=_username(draft.released_by),
        remarks=tuple(remarks),
        revisions=tuple(
            ReportRevisionSpec(
                number=rev.number,
                author=_username(rev.author),
                takeaways=rewrite(rev.takeaways),
                narratives=tuple(
                    sorted((int(k), rewrite(v)) for k, v in rev.narratives.items())
                ),
                convergence=rewrite(rev.convergence),
                divergence=rewrite(rev.divergence),
                open_questions=rewrite(rev.open_questions),
                at=rev.created_at,
            )
            for rev in revisions
        ),
        corrections=tuple(
            ReportCorrectionSpec(
                revision=c.revision.number,
                section=c.section,
                paragraph=c.paragraph,
                kind=c.kind,
                note=rewrite(c.note),
                filed_by=c.filed_by.user.get_username(),
                suggestion=rewrite(c.suggestion),
                status=c.status,
                reason=c.reason,
                resolved_by=_username(c.resolved_by),
                at=c.created_at,
                resolved_at=c.resolved_at,
                applied_in=c.applied_in.number if c.applied_in_id else None,
            )
            for c in draft.corrections.all()
        ),
        sign_offs=tuple(
            sorted(
                (
                    ReportSignOffSpec(
                        revision=rev.number,
                        delegation=s.delegation.code,
                        participant=s.participant.user.get_username(),
                        at=s.created_at,
                    )
                    for rev in revisions
                    for s in rev.sign_offs.all()
                ),
                key=lambda s: (s.revision, s.delegation),
            )
        ),
    )


def _file_spec(workshop: Workshop, draft: ReportDraft) -> ReportDraftSpec:
    """The draft as the file holds it: remarks numbered, texts rewritten."""
    ids = cited_ids("\n".join(_texts(draft)))
    comments = {
        c.pk: c
        for c in Comment.objects.filter(
            pk__in=ids, item__session__workshop=workshop
        ).select_related("item__session", "point", "author__user")
    }
    numbers = {pk: n for n, pk in enumerate((i for i in ids if i in comments), 1)}

    def rewrite(text: str) -> str:
        def one(match):
            number = numbers.get(int(match.group(1)))
            return citation(number) if number else REMOVED

        return CITATION.sub(one, text)

    remarks = [
        ReportRemarkSpec(
            number=number,
            item=(comments[pk].item.session.number, comments[pk].item.number),
            point=comments[pk].point.position if comments[pk].point_id else None,
            author=comments[pk].author.user.get_username(),
            posted_at=comments[pk].created_at,
        )
        for pk, number in numbers.items()
    ]
    return _db_spec(draft, rewrite, remarks)


def _draft_dict(spec: ReportDraftSpec) -> dict:
    return {
        "session": spec.session,
        "state": spec.state,
        "review_revision": spec.review_revision,
        "review_deadline": _iso(spec.review_deadline),
        "sent_for_review_at": _iso(spec.sent_for_review_at),
        "released_at": _iso(spec.released_at),
        "released_by": spec.released_by,
        "remarks": [
            {
                "number": r.number,
                "item": f"{r.item[0]}.{r.item[1]}",
                "point": r.point,
                "author": r.author,
                "posted_at": _iso(r.posted_at),
            }
            for r in spec.remarks
        ],
        "revisions": [
            {
                "number": r.number,
                "author": r.author,
                "takeaways": r.takeaways,
                "narratives": {str(n): text for n, text in r.narratives},
                "convergence": r.convergence,
                "divergence": r.divergence,
                "open_questions": r.open_questions,
                "at": _iso(r.at),
            }
            for r in spec.revisions
        ],
        "corrections": [
            {
                "revision": c.revision,
                "section": c.section,
                "paragraph": c.paragraph,
                "kind": c.kind,
                "note": c.note,
                "suggestion": c.suggestion,
                "filed_by": c.filed_by,
                "status": c.status,
                "reason": c.reason,
                "resolved_by": c.resolved_by,
                "at": _iso(c.at),
                "resolved_at": _iso(c.resolved_at),
                "applied_in": c.applied_in,
            }
            for c in spec.corrections
        ],
        "sign_offs": [
            {
                "revision": s.revision,
                "delegation": s.delegation,
                "participant": s.participant,
                "at": _iso(s.at),
            }
            for s in spec.sign_offs
        ],
    }


def export_report_drafts(workshop: Workshop) -> dict:
    """{"report_drafts": [...]}, or {} when the workshop has none, so a
    workshop without drafts exports exactly as before."""
    drafts = _drafts(workshop)
    if not drafts:
        return {}
    return {"report_drafts": [_draft_dict(_file_spec(workshop, d)) for d in drafts]}


# --- writing the file's drafts ---------------------------------------------------


class _Any:
    """A time the file leaves out: it matches whatever is stored."""

    def __eq__(self, other):
        return True

    __hash__ = None


def _loose(spec: ReportDraftSpec) -> ReportDraftSpec:
    """`spec` with each time the file leaves out matching any."""

    def when(obj):
        return obj if obj.at is not None else dataclasses.replace(obj, at=_Any())

    return dataclasses.replace(
        spec,
        remarks=(),
        revisions=tuple(when(r) for r in spec.revisions),
        corrections=tuple(when(c) for c in spec.corrections),
        sign_offs=tuple(when(s) for s in spec.sign_offs),
    )


def _people(workshop: Workshop, drafts: tuple[ReportDraftSpec, ...]):
    """The users and participants the drafts name, by username; a
    WorkshopFileError naming each field whose username is unknown, and each
    sign-off not given by the head of its delegation."""
    participants = {
        p.user.get_username(): p
        for p in Participant.objects.filter(workshop=workshop).select_related(
            "user", "delegation"
        )
    }
    User = get_user_model()
    named = set()
    for draft in drafts:
        named.add(draft.released_by)
        named |= {r.author for r in draft.revisions}
        named |= {c.resolved_by for c in draft.corrections}
    named.discard(None)
    users = {
        u.get_username(): u
        for u in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": named})
    }
    errors = []

    def user(path, name):
        if name and name not in users:
            errors.append((path, f"{name!r} is not a user"))

    for index, draft in enumerate(drafts):
        path = f"report_drafts[{index}]"
        user(f"{path}.released_by", draft.released_by)
        for r_index, rev in enumerate(draft.revisions):
            user(f"{path}.revisions[{r_index}].author", rev.author)
        for c_index, correction in enumerate(draft.corrections):
            here = f"{path}.corrections[{c_index}]"
            user(f"{here}.resolved_by", correction.resolved_by)
            if correction.filed_by not in participants:
                errors.append(
                    (
                        f"{here}.filed_by",
                        f"{correction.filed_by!r} is not a participant of this "
                        "workshop",
                    )
                )
        for s_index, sign_off in enumerate(draft.sign_offs):
            here = f"{path}.sign_offs[{s_index}].participant"
            head = participants.get(sign_off.participant)
            if head is None:
                errors.append(
                    (
                        here,
                        f"{sign_off.participant!r} is not a participant of this "
                        "workshop",
                    )
                )
            elif not (
                head.is_head
                and head.delegation_id
                and head.delegation.code == sign_off.delegation
            ):
                errors.append(
                    (
                        here,
                        f"{sign_off.participant!r} is not the head of "
                        f"{sign_off.delegation}: only a delegation's head signs "
                        "its report off",
                    )
                )
    return users, participants, errors


def _remark_ids(workshop: Workshop, drafts: tuple[ReportDraftSpec, ...]):
    """{(draft index, remark number): comment id}, and the errors of the
    remarks that are not in the workshop's discussion."""
    remarks = [(i, r) for i, d in enumerate(drafts) for r in d.remarks]
    found = {}
    if remarks:
        rows = Comment.objects.filter(
            item__session__workshop=workshop,
            created_at__in=sorted({r.posted_at for _i, r in remarks}),
        ).values_list(
            "pk",
            "item__session__number",
            "item__number",
            "point__position",
            "author__user__username",
            "created_at",
        )
        found = {(s, n, p, a, at): pk for pk, s, n, p, a, at in rows}
    ids, errors = {}, []
    for index, remark in remarks:
        key = (*remark.item, remark.point, remark.author, remark.posted_at)
        if key in found:
            ids[(index, remark.number)] = found[key]
            continue
        where = f"{remark.item[0]}.{remark.item[1]}"
        if remark.point:
            where += f" point {remark.point}"
        errors.append(
            (
                f"report_drafts[{index}].remarks[{remark.number - 1}]",
                f"this workshop has no remark by {remark.author!r} on item "
                f"{where} posted at {remark.posted_at.isoformat()}",
            )
        )
    return ids, errors


def _to_ids(spec: ReportDraftSpec, index: int, ids: dict) -> ReportDraftSpec:
    """The file's draft with its citations rewritten to comment ids."""

    def rewrite(text: str) -> str:
        return CITATION.sub(
            lambda m: citation(ids[(index, int(m.group(1)))]), text or ""
        )

    return dataclasses.replace(
        spec,
        remarks=(),
        revisions=tuple(
            dataclasses.replace(
                r,
                takeaways=rewrite(r.takeaways),
                narratives=tuple((n, rewrite(t)) for n, t in r.narratives),
                convergence=rewrite(r.convergence),
                divergence=rewrite(r.divergence),
                open_questions=rewrite(r.open_questions),
            )
            for r in spec.revisions
        ),
        corrections=tuple(
            dataclasses.replace(
                c, note=rewrite(c.note), suggestion=rewrite(c.suggestion)
            )
            for c in spec.corrections
        ),
    )


def import_report_drafts(
    workshop: Workshop, spec: WorkshopSpec, result: ImportResult
) -> None:
    """Make the workshop's report drafts the file's (`spec.report_drafts` is
    not None). Runs inside the import's transaction, after the agenda: a
    WorkshopFileError here undoes the whole import."""
    for action in ("created", "updated", "deleted"):
        result.changes.setdefault(f"{LABEL} {action}", 0)
    users, participants, errors = _people(workshop, spec.report_drafts)
    ids, remark_errors = _remark_ids(workshop, spec.report_drafts)
    if errors or remark_errors:
        raise WorkshopFileError(errors + remark_errors)
    current = {
        draft.session.number if draft.session_id else None: draft
        for draft in _drafts(workshop)
    }
    wanted = {d.session for d in spec.report_drafts}
    stale = [d.pk for number, d in current.items() if number not in wanted]
    if stale:
        ReportDraft.objects.filter(pk__in=stale).delete()
        result.changes[f"{LABEL} deleted"] += len(stale)
    sessions = {s.number: s for s in workshop.sessions.all()}
    delegations = {d.code: d for d in workshop.delegations.all()}
    for index, draft_spec in enumerate(spec.report_drafts):
        wanted_spec = _to_ids(draft_spec, index, ids)
        draft = current.get(draft_spec.session)
        if draft is not None and _db_spec(draft, str) == _loose(wanted_spec):
            continue
        version = 0
        if draft is not None:
            version = draft.version + 1
            draft.delete()
        _create(
            workshop=workshop,
            session=sessions.get(draft_spec.session),
            spec=wanted_spec,
            version=version,
            users=users,
            participants=participants,
            delegations=delegations,
        )
        result.changes[f"{LABEL} {'updated' if draft else 'created'}"] += 1


def _create(
    *,
    workshop,
    session,
    spec: ReportDraftSpec,
    version,
    users,
    participants,
    delegations,
) -> None:
    draft = ReportDraft.objects.create(
        workshop=workshop,
        session=session,
        state=spec.state,
        revision=len(spec.revisions),
        review_deadline=spec.review_deadline,
        sent_for_review_at=spec.sent_for_review_at,
        released_at=spec.released_at,
        released_by=users.get(spec.released_by),
        version=version,
    )
    revisions = {}
    for rev in spec.revisions:
        row = ReportRevision.objects.create(
            draft=draft,
            number=rev.number,
            takeaways=rev.takeaways,
            narratives={str(n): text for n, text in rev.narratives},
            convergence=rev.convergence,
            divergence=rev.divergence,
            open_questions=rev.open_questions,
            author=users.get(rev.author),
        )
        if rev.at is not None:  # auto_now_add: set after the insert
            ReportRevision.objects.filter(pk=row.pk).update(created_at=rev.at)
        revisions[rev.number] = row
    if spec.review_revision:
        draft.review_revision = revisions[spec.review_revision]
        draft.save(update_fields=["review_revision"])
    for c in spec.corrections:
        row = ReportCorrection.objects.create(
            draft=draft,
            revision=revisions[c.revision],
            section=c.section,
            paragraph=c.paragraph,
            kind=c.kind,
            note=c.note,
            suggestion=c.suggestion,
            filed_by=participants[c.filed_by],
            status=c.status,
            reason=c.reason,
            resolved_by=users.get(c.resolved_by),
            resolved_at=c.resolved_at,
            applied_in=revisions.get(c.applied_in),
        )
        if c.at is not None:
            ReportCorrection.objects.filter(pk=row.pk).update(created_at=c.at)
    for s in spec.sign_offs:
        row = ReportSignOff.objects.create(
            revision=revisions[s.revision],
            delegation=delegations[s.delegation],
            participant=participants[s.participant],
        )
        if s.at is not None:
            ReportSignOff.objects.filter(pk=row.pk).update(created_at=s.at)
