"""The rapporteur's report: writing it, its review and its release.

* `report_draft_for` gives a session's draft (or the workshop's own),
  creating it the first time.
* `report_save` writes a new revision made on revision `base`; if another
  was saved meanwhile it is refused with `StaleReport`, which carries the
  current revision for the page to show: no update is lost. Saving what the
  latest revision already says writes nothing (a form sent twice). Every
  text passes ``dialogue.user_text``; a narrative is on one of the draft's
  items (sessions, for the workshop's report); a citation names a visible
  remark of the session (of the workshop).
* `report_send_for_review` puts the latest revision before every
  participant until a deadline; under the Chatham House Rule the text is
  first checked for every participant's names (`name_check`).
* `report_correction_file` (anyone but the rapporteur) and
  `report_correction_resolve` (the rapporteur, who may apply an accepted
  wording as a new revision).
* `report_sign_off`: each delegation's head signs the revision under
  review off, once no correction is open and nothing newer was written.
* `report_release`: with every delegation's sign-off, the final version is
  compiled (``services.summaries.summary_request``) and the draft is final;
  nothing in it changes after that.

Every write locks the draft's row first and bumps its `version`.
"""

import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions, report_text
from dialogue.errors import Forbidden, Refusal, require
from dialogue.models import (
    Confidentiality,
    CorrectionKind,
    CorrectionStatus,
    Participant,
    ReportCorrection,
    ReportDraft,
    ReportRevision,
    ReportSignOff,
    ReportState,
    Session,
    SummaryReport,
    Workshop,
)
from dialogue.selectors.reports import (
    citable_comments,
    name_terms,
    release_refusal,
    report_numbers,
    revision_texts,
    section_label,
    sign_off_refusal,
)
from dialogue.services.summaries import summary_request
from dialogue.user_text import clean_user_text

MAX_SECTION = 20000
MAX_NOTE = 4000


class ReportError(Refusal):
    """A report action the rules refuse (400)."""


class ReportForbidden(ReportError, Forbidden):
    """The participant's role does not do this to a report (403)."""


class StaleReport(ReportError):
    """The edit was made on an older revision: `current` is the latest."""

    status = 409

    def __init__(self, current: ReportRevision | None):
        if current is None:  # a base sent for a draft with no revision yet
            message = _(
                "This draft has no revision yet: reload the page and write the "
                "first one."
            )
        else:
            message = _(
                "A newer revision (%(number)d) was saved while you were "
                "editing. It is shown beside your text: compare, then save "
                "yours again."
            ) % {"number": current.number}
        super().__init__(message)
        self.current = current


# -- helpers --------------------------------------------------------------------


def _lock(draft: ReportDraft) -> ReportDraft:
    return (
        ReportDraft.objects.select_for_update(of=("self",))
        .select_related("workshop", "session", "review_revision")
        .get(pk=draft.pk)
    )


def _touch(draft: ReportDraft) -> None:
    ReportDraft.objects.filter(pk=draft.pk).update(version=F("version") + 1)
    draft.refresh_from_db(fields=["version"])


def _text(value, label, *, required: bool = False, max_length=MAX_SECTION) -> str:
    try:
        return clean_user_text(
            value or "", label=label, max_length=max_length, required=required
        )
    except ValidationError as exc:
        raise ReportError(exc.messages[0]) from exc


def _require_open(draft: ReportDraft) -> None:
    require(permissions.report_open_refusal(draft), ReportError)


def _latest(draft: ReportDraft) -> ReportRevision | None:
    return draft.revisions.order_by("-number").first()


def _write_revision(draft: ReportDraft, by: Participant, **texts) -> ReportRevision:
    revision = ReportRevision.objects.create(
        draft=draft, number=draft.revision + 1, author=by.user, **texts
    )
    draft.revision = revision.number
    draft.save(update_fields=["revision"])
    return revision


def _fields(revision: ReportRevision) -> dict:
    return {
        "takeaways": revision.takeaways,
        "narratives": revision.narratives,
        "convergence": revision.convergence,
        "divergence": revision.divergence,
        "open_questions": revision.open_questions,
    }


# -- the draft ------------------------------------------------------------------


def report_draft_for(
    *, session: Session | None = None, workshop: Workshop | None = None
) -> ReportDraft:
    """The session's draft, or with `workshop` (no session) the workshop's
    own report; created the first time it is asked for."""
    if (session is None) == (workshop is None):
        raise ValueError("a report is of a session or of a whole workshop")
    workshop_id = session.workshop_id if session is not None else workshop.pk
    lookup = {"workshop_id": workshop_id, "session": session}
    try:
        with transaction.atomic():
            draft, _created = ReportDraft.objects.get_or_create(**lookup)
    except IntegrityError:
        # Created at the same moment by another request: the one constraint.
        draft = ReportDraft.objects.get(**lookup)
    return draft


def _clean_narratives(draft: ReportDraft, narratives) -> dict[str, str]:
    numbers = set(report_numbers(draft=draft))
    cleaned = {}
    for key, value in (narratives or {}).items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            number = None
        if number not in numbers:
            if draft.session_id is None:
                message = _("This workshop has no session %(number)s.")
            else:
                message = _("This session has no item %(number)s.")
            raise ReportError(message % {"number": key})
        label = section_label(draft, report_text.narrative_key(number))
        text = _text(value, label)
        if text:
            cleaned[str(number)] = text
    return dict(sorted(cleaned.items(), key=lambda pair: int(pair[0])))


def _check_citations(draft: ReportDraft, texts: dict[str, str]) -> None:
    cited = []
    for text in texts.values():
        cited.extend(n for n in report_text.cited_ids(text) if n not in cited)
    if not cited:
        return
    found = set(
        citable_comments(draft=draft).filter(pk__in=cited).values_list("pk", flat=True)
    )
    bad = [report_text.citation(n) for n in cited if n not in found]
    if bad:
        where = (
            _("of this session")
            if draft.session_id is not None
            else _("of this workshop")
        )
        raise ReportError(
            _(
                "%(refs)s: not a visible remark %(where)s (it may have been "
                "hidden or withdrawn). Remove the reference or cite another remark."
            )
            % {"refs": ", ".join(bad), "where": where}
        )


def report_save(
    *,
    draft: ReportDraft,
    by: Participant,
    base: int,
    takeaways: str = "",
    narratives: dict | None = None,
    convergence: str = "",
    divergence: str = "",
    open_questions: str = "",
) -> ReportRevision:
    """Write a new revision, made on revision `base` (0 for the first).
    Returns the latest revision (the same one if nothing changed)."""
    require(permissions.write_report_refusal(by, draft), ReportForbidden)
    texts = {
        "takeaways": _text(takeaways, _("Key takeaways")),
        "narratives": _clean_narratives(draft, narratives),
        "convergence": _text(convergence, _("Convergence")),
        "divergence": _text(divergence, _("Divergence")),
        "open_questions": _text(open_questions, _("Open questions")),
    }
    flat = {k: v for k, v in texts.items() if k != "narratives"}
    flat.update(texts["narratives"])
    _check_citations(draft, flat)
    with transaction.atomic():
        locked = _lock(draft)
        _require_open(locked)
        latest = _latest(locked)
        if latest is not None and _fields(latest) == texts:
            return latest  # the same text sent again
        if base != locked.revision:
            raise StaleReport(latest)
        revision = _write_revision(locked, by, **texts)
        _touch(locked)
    draft.revision, draft.version = locked.revision, locked.version
    return revision


# -- the name check -------------------------------------------------------------


def name_check(draft: ReportDraft, revision: ReportRevision) -> None:
    """Under the Chatham House Rule, refuse a text that names a participant,
    saying where (section, paragraph, the name)."""
    if draft.workshop.confidentiality != Confidentiality.CHATHAM_HOUSE:
        return
    hits = report_text.name_hits(
        revision_texts(revision), name_terms(workshop=draft.workshop)
    )
    if hits:
        places = "; ".join(
            _("%(section)s, paragraph %(paragraph)d: “%(term)s”")
            % {
                "section": section_label(draft, hit.section),
                "paragraph": hit.paragraph,
                "term": hit.term,
            }
            for hit in hits
        )
        raise ReportError(
            _(
                "Under the Chatham House Rule the report names no participant. "
                "Remove these: %(places)s."
            )
            % {"places": places}
        )


# -- review -----------------------------------------------------------------------


def report_send_for_review(
    *, draft: ReportDraft, by: Participant, deadline: datetime | None
) -> ReportDraft:
    """Put the latest revision before every participant until `deadline`.
    Sending again (a newer revision, or a new deadline) starts the review of
    the latest revision; sign-offs are per revision, so earlier ones no
    longer count."""
    require(permissions.write_report_refusal(by, draft), ReportForbidden)
    if deadline is None:
        raise ReportError(_("Give the review a deadline."))
    if deadline <= timezone.now():
        raise ReportError(_("The review's deadline must be in the future."))
    with transaction.atomic():
        locked = _lock(draft)
        _require_open(locked)
        latest = _latest(locked)
        if latest is None:
            raise ReportError(_("Write the report before sending it for review."))
        _check_citations(locked, revision_texts(latest))
        name_check(locked, latest)
        locked.state = ReportState.IN_REVIEW
        locked.review_revision = latest
        locked.review_deadline = deadline
        locked.sent_for_review_at = timezone.now()
        locked.save(
            update_fields=[
                "state",
                "review_revision",
                "review_deadline",
                "sent_for_review_at",
            ]
        )
        _touch(locked)
    return locked


def report_correction_file(
    *,
    draft: ReportDraft,
    by: Participant,
    section: str,
    paragraph: int,
    kind: str,
    note: str,
    suggestion: str = "",
    submission_key: uuid.UUID | None = None,
) -> ReportCorrection:
    """File a correction on a paragraph of the revision under review. The
    same submission sent twice files one correction."""
    if kind not in CorrectionKind.values:
        raise ReportError(_("Choose what kind of correction this is."))
    note = _text(note, _("What is wrong"), required=True, max_length=MAX_NOTE)
    suggestion = _text(suggestion, _("Suggested wording"), max_length=MAX_SECTION)
    with transaction.atomic():
        locked = _lock(draft)
        require(permissions.file_correction_refusal(by, locked), ReportError)
        if submission_key is not None and (
            earlier := ReportCorrection.objects.filter(
                filed_by=by, submission_key=submission_key
            ).first()
        ):
            return earlier
        revision = locked.review_revision
        text = revision_texts(revision).get(section, "")
        if not 1 <= (paragraph or 0) <= len(report_text.paragraphs(text)):
            raise ReportError(
                _("There is no such paragraph in the revision under review.")
            )
        try:
            with transaction.atomic():
                correction = ReportCorrection.objects.create(
                    draft=locked,
                    revision=revision,
                    section=section,
                    paragraph=paragraph,
                    kind=kind,
                    note=note,
                    suggestion=suggestion,
                    filed_by=by,
                    submission_key=submission_key,
                )
        except IntegrityError:
            earlier = ReportCorrection.objects.filter(
                filed_by=by, submission_key=submission_key
            ).first()
            if earlier is None:
                raise
            return earlier
        _touch(locked)
    return correction


def _apply(locked: ReportDraft, correction: ReportCorrection, by) -> ReportRevision:
    """A new revision with the correction's paragraph in its wording, if
    that paragraph still reads as it did in the revision it was filed on."""
    if not correction.suggestion:
        raise ReportError(_("This correction suggests no wording to apply."))
    latest = _latest(locked)
    filed_on = report_text.paragraphs(
        revision_texts(correction.revision).get(correction.section, "")
    )
    now = report_text.paragraphs(revision_texts(latest).get(correction.section, ""))
    number = correction.paragraph
    if len(now) < number or now[number - 1] != filed_on[number - 1]:
        raise ReportError(
            _(
                "That paragraph has changed since revision %(filed)d (the latest "
                "is %(latest)d): its wording cannot be applied as it is. Accept "
                "it without applying, and edit the paragraph yourself."
            )
            % {"filed": correction.revision.number, "latest": latest.number}
        )
    _check_citations(locked, {"suggestion": correction.suggestion})
    fields = _fields(latest)
    key = correction.section
    if key.startswith(report_text.NARRATIVE):
        number_key = key[len(report_text.NARRATIVE) :]
        narratives = dict(fields["narratives"])
        narratives[number_key] = report_text.replace_paragraph(
            narratives[number_key], number, correction.suggestion
        )
        fields["narratives"] = narratives
    else:
        fields[key] = report_text.replace_paragraph(
            fields[key], number, correction.suggestion
        )
    return _write_revision(locked, by, **fields)


def report_correction_resolve(
    *,
    correction: ReportCorrection,
    by: Participant,
    accept: bool,
    reason: str = "",
    apply: bool = False,
) -> ReportCorrection:
    """Accept or decline a correction (declining needs a reason). Accepted
    with `apply`, its wording goes into a new revision."""
    reason = _text(reason, _("The reason"), required=not accept, max_length=MAX_NOTE)
    with transaction.atomic():
        locked = _lock(correction.draft)
        require(permissions.write_report_refusal(by, locked), ReportForbidden)
        _require_open(locked)
        correction = ReportCorrection.objects.select_related("revision").get(
            pk=correction.pk
        )
        if correction.status != CorrectionStatus.OPEN:
            raise ReportError(_("This correction has already been resolved."))
        if accept and apply:
            correction.applied_in = _apply(locked, correction, by)
        correction.status = (
            CorrectionStatus.ACCEPTED if accept else CorrectionStatus.DECLINED
        )
        correction.reason = reason
        correction.resolved_by = by.user
        correction.resolved_at = timezone.now()
        correction.save(
            update_fields=[
                "status",
                "reason",
                "resolved_by",
                "resolved_at",
                "applied_in",
            ]
        )
        _touch(locked)
    return correction


# -- sign-off and release ------------------------------------------------------------


def report_sign_off(*, draft: ReportDraft, by: Participant) -> ReportSignOff:
    """The head signs the revision under review off for the delegation."""
    require(permissions.sign_off_report_refusal(by, draft), ReportForbidden)
    with transaction.atomic():
        locked = _lock(draft)
        require(sign_off_refusal(draft=locked), ReportError)
        sign_off, created = ReportSignOff.objects.get_or_create(
            revision=locked.review_revision,
            delegation_id=by.delegation_id,
            defaults={"participant": by},
        )
        if created:
            _touch(locked)
    return sign_off


def report_release(*, draft: ReportDraft, by: Participant) -> SummaryReport | None:
    """Compile the signed-off revision as the final version and make the
    report final. Released already: nothing more happens (None)."""
    require(permissions.write_report_refusal(by, draft), ReportForbidden)
    with transaction.atomic():
        locked = _lock(draft)
        if locked.state == ReportState.FINAL:
            return None
        require(release_refusal(draft=locked), ReportError)
        revision = locked.review_revision
        _check_citations(locked, revision_texts(revision))
        name_check(locked, revision)
        if locked.session_id is not None:
            report = summary_request(
                session=locked.session, by=by, draft_revision=revision, final=True
            )
        else:
            report = summary_request(
                workshop=locked.workshop, by=by, draft_revision=revision, final=True
            )
        locked.state = ReportState.FINAL
        locked.released_at = timezone.now()
        locked.released_by = by.user
        locked.save(update_fields=["state", "released_at", "released_by"])
        _touch(locked)
    return report
