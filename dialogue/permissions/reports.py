"""The rapporteur's report: who writes it, who reads the draft and the
revision under review, who files and resolves corrections, who signs off.

* The workshop's rapporteur writes the report, sends it for review,
  resolves the corrections and releases it.
* A draft (every revision before one is sent for review, and the newer
  ones written during the review) is read by the rapporteur and the
  facilitators only (`sees_report_drafts`).
* Once sent, the revision under review is read by everyone in the
  workshop, and everyone but the rapporteur may file a correction on it.
  A filer sees their own corrections; the rapporteur and the facilitators
  see them all.
* Each delegation's head signs the revision under review off.
* A final report changes no more (`report_open_refusal`).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue import times
from dialogue.models import Participant, ReportState, Role
from dialogue.permissions.people import _other_workshop, is_head

# Who reads a report's drafts and every correction filed on it.
REPORT_DRAFT_ROLES = frozenset({Role.RAPPORTEUR, Role.FACILITATOR})


def is_rapporteur(participant: Participant) -> bool:
    return participant.role == Role.RAPPORTEUR


def sees_report_drafts(participant: Participant, draft) -> bool:
    """The rapporteur and the facilitators read every revision."""
    return (
        not _other_workshop(participant, draft.workshop_id)
        and participant.role in REPORT_DRAFT_ROLES
    )


def sees_report_review(participant: Participant, draft) -> bool:
    """Once a revision is sent for review, everyone in the workshop reads it
    (and, once released, the final one)."""
    return (
        not _other_workshop(participant, draft.workshop_id)
        and draft.review_revision_id is not None
    )


def sees_report(participant: Participant, draft) -> bool:
    return sees_report_drafts(participant, draft) or sees_report_review(
        participant, draft
    )


def sees_report_revision(participant: Participant, draft, revision) -> bool:
    """A revision: every one for the drafters, the one under review (or
    released) for everyone else."""
    if sees_report_drafts(participant, draft):
        return True
    return (
        sees_report_review(participant, draft)
        and revision.pk == draft.review_revision_id
    )


def write_report_refusal(participant: Participant, draft):
    """Writing, sending for review, resolving and releasing: the rapporteur."""
    if _other_workshop(participant, draft.workshop_id):
        return _("This belongs to another workshop.")
    if not is_rapporteur(participant):
        return _("Only the rapporteur writes the report.")
    return None


def report_open_refusal(draft):
    """A released report is final: nothing in it changes any more."""
    if draft.state == ReportState.FINAL:
        return _("The report is final: nothing in it changes any more.")
    return None


def file_correction_refusal(participant: Participant, draft):
    """While in review, everyone but the rapporteur files corrections."""
    if _other_workshop(participant, draft.workshop_id):
        return _("This belongs to another workshop.")
    if is_rapporteur(participant):
        return _("The rapporteur resolves corrections; others file them.")
    if draft.state != ReportState.IN_REVIEW:
        return _("Corrections are filed while the report is in review.")
    if draft.review_deadline is not None and timezone.now() > draft.review_deadline:
        return _("The review closed at its deadline, %(when)s.") % {
            "when": times.when(draft.review_deadline)
        }
    return None


def sees_correction(participant: Participant, correction) -> bool:
    """The filer sees their own; the rapporteur and the facilitators all."""
    return (
        sees_report_drafts(participant, correction.draft)
        or correction.filed_by_id == participant.pk
    )


def sign_off_report_refusal(participant: Participant, draft):
    """Each delegation's head signs off the revision under review."""
    if _other_workshop(participant, draft.workshop_id):
        return _("This belongs to another workshop.")
    if not is_head(participant):
        return _("Only the head of a delegation signs the report off.")
    return None
