"""The app's vocabularies: every set of named states and kinds, as TextChoices.

They live here, apart from the models, so that modules which must not touch
the database (the workshop file's parser, the summary document) take their
allowed values from the same place the models do. The models import them
from here; import them from `dialogue.models` elsewhere.
"""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Confidentiality(TextChoices):
    ON_THE_RECORD = "on_record", _("On the record")
    CHATHAM_HOUSE = "chatham_house", _("Chatham House Rule")
    OFF_THE_RECORD = "off_record", _("Off the record")


class EndorsementRule(TextChoices):
    """How a delegation endorses a reciprocal measure."""

    HEAD_OR_MAJORITY = (
        "head_or_majority",
        _("Its head endorses; without a head, a majority of its delegates"),
    )
    HEAD = "head", _("Only its head endorses")
    MAJORITY = "majority", _("A majority of its delegates support it")


class Role(TextChoices):
    ORGANISER = "organiser", _("Organiser")
    FACILITATOR = "facilitator", _("Facilitator")
    DELEGATE = "delegate", _("Delegate")
    OBSERVER = "observer", _("Observer")
    RAPPORTEUR = "rapporteur", _("Rapporteur")


class Phase(TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for discussion")
    RANKING = "ranking", _("Ranking")
    CLOSED = "closed", _("Closed")


class CommentState(TextChoices):
    VISIBLE = "visible", _("Visible")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    HIDDEN = "hidden", _("Hidden by a facilitator")


class MeasureStatus(TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    UNDER_DISCUSSION = "under_discussion", _("Under discussion")
    ENDORSED_ONE = "endorsed_one", _("Endorsed by one side")
    ENDORSED_BOTH = "endorsed_both", _("Endorsed by both sides")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Superseded")


class Sequencing(TextChoices):
    SIMULTANEOUS = "simultaneous", _("Simultaneous")
    PROPOSER_FIRST = "proposer_first", _("Proposing side first")
    OTHER_FIRST = "other_first", _("Other side first")
    PHASED = "phased", _("Phased, step by step")


class Reversibility(TextChoices):
    REVERSIBLE = "reversible", _("Reversible")
    PARTLY = "partly", _("Partly reversible")
    IRREVERSIBLE = "irreversible", _("Irreversible")


class MeasureType(TextChoices):
    COMMUNICATION = "communication", _("Communication")
    TRANSPARENCY = "transparency", _("Transparency")
    CONSTRAINT = "constraint", _("Constraint")
    COOPERATION = "cooperation", _("Cooperation")
    EXCHANGE = "exchange", _("Exchange")
    ECONOMIC = "economic", _("Economic")
    OTHER = "other", _("Other")


class Stance(TextChoices):
    SUPPORT = "support", _("Support")
    SUPPORT_WITH_CHANGES = "support_with_changes", _("Support with changes")
    OPPOSE = "oppose", _("Oppose")
    CLARIFY = "clarify", _("Ask for clarification")


class EndorsementVia(TextChoices):
    """How a delegation's endorsement came about."""

    HEAD = "head", _("its head")
    MAJORITY = "majority", _("a majority of its delegates")


class MeasureEventKind(TextChoices):
    """What happened to a measure: one kind per entry of its history."""

    CREATED = "created", _("Created")
    PROPOSED = "proposed", _("Proposed")
    EDITED = "edited", _("Edited")
    ANSWERED = "answered", _("Answered")
    ANSWER_CHANGED = "answer_changed", _("Answer changed")
    ENDORSED = "endorsed", _("Endorsed")
    ENDORSEMENT_LOST = "endorsement_lost", _("Endorsement lost")
    COUNTERED = "countered", _("Countered")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IMPORTED = "imported", _("Imported")


class PackageStatus(TextChoices):
    """Where a package of measures stands; derived from its endorsements by
    the services, which store it so that boards and files can filter on it."""

    OPEN = "open", _("Awaiting endorsement")
    ENDORSED_ONE = "endorsed_one", _("Endorsed by one side")
    AGREED = "agreed", _("Agreed by both sides")
    SUSPENDED = "suspended", _("Suspended: a member changed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PackageEventKind(TextChoices):
    """What happened to a package: one kind per entry of its history."""

    CREATED = "created", _("Created")
    MEMBER_ADDED = "member_added", _("Member added")
    MEMBER_REMOVED = "member_removed", _("Member removed")
    MEMBER_REPLACED = "member_replaced", _("Member countered")
    MEMBER_CHANGED = "member_changed", _("Member changed")
    ENDORSED = "endorsed", _("Endorsed")
    ENDORSEMENT_WITHDRAWN = "endorsement_withdrawn", _("Endorsement withdrawn")
    ENDORSEMENT_LOST = "endorsement_lost", _("Endorsement lost")
    SUSPENDED = "suspended", _("Endorsements suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    IMPORTED = "imported", _("Imported")


class SummaryStatus(TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Compiling")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class SummaryFormat(TextChoices):
    MARKDOWN = "md", _("Markdown")
    DOCX = "docx", _("Word (DOCX)")
    PDF = "pdf", _("PDF")


class WorkerState(TextChoices):
    """Where a report stands with the workers (derived, never stored)."""

    UNSENT = "unsent"  # recorded, not yet handed to the broker
    WAITING = "waiting"  # handed to the broker (or waiting for its retry)
    WORKING = "working"  # a worker holds it and shows signs of life
    STOPPED = "stopped"  # its worker stopped responding: the lease ran out
    LOST = "lost"  # sent long ago and no worker ever took it
    FINISHED = "finished"  # done or failed


class ResponseStance(TextChoices):
    """A delegation's answer to a recommendation addressed to it."""

    ACCEPT = "accept", _("Accept")
    ACCEPT_IN_PART = "accept_in_part", _("Accept in part")
    ACCEPT_IF = "accept_if", _("Accept if …")
    NOT_NOW = "not_now", _("Not now")
    CANNOT_ACCEPT = "cannot_accept", _("Cannot accept")
    NEEDS_CLARIFICATION = "needs_clarification", _("Needs clarification")
    UNDER_WAY = "under_way", _("Already under way")
    OVERTAKEN = "overtaken", _("Overtaken by events")


class ResponseReplyKind(TextChoices):
    REPLY = "reply", _("Reply")
    CLARIFICATION = "clarification", _("Request for clarification")


class LinkKind(TextChoices):
    """How two agenda items (or points) relate: the kinds of an ItemLink."""

    MIRROR = "mirror", _("Mirror")
    RELATED = "related", _("Related")
    TENSION = "tension", _("In tension")
    DUPLICATE = "duplicate", _("Duplicate")


class LinkDecision(TextChoices):
    """One delegation's verdict on a suggested link."""

    PENDING = "pending", _("Not decided yet")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class PaperSize(TextChoices):
    """The one paper size of a workshop's documents, in DOCX and PDF alike."""

    A4 = "a4", _("A4")
    LETTER = "letter", _("US Letter")


class ReportState(TextChoices):
    """Where a rapporteur's report draft stands."""

    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    FINAL = "final", _("Final")


class ReportSection(TextChoices):
    """The parts of a report the rapporteur writes; an item's narrative (a
    session's, in the workshop's report) is keyed ``narrative:<number>``
    instead (``dialogue.report_text``)."""

    TAKEAWAYS = "takeaways", _("Key takeaways")
    CONVERGENCE = "convergence", _("Convergence")
    DIVERGENCE = "divergence", _("Divergence")
    OPEN_QUESTIONS = "open_questions", _("Open questions")


class CorrectionKind(TextChoices):
    MISSTATEMENT = "misstatement", _("Misstatement")
    ATTRIBUTION = "attribution", _("Attribution risk")
    TRANSLATION = "translation", _("Translation")
    OTHER = "other", _("Other")


class CorrectionStatus(TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
