"""Who may do what: every role and phase rule of the workshop, in one place.

Each action has one predicate. `<action>_refusal(...)` returns the reason the
action is refused (translated, for the person) or None when it is allowed;
`can_<action>(...)` is the same rule as a bool. Services enforce the rules by
passing a refusal to `dialogue.errors.require`; views and templates only ask
(templates through `Can`, put in the context as `can`: `{% if can.comment %}`).
No view or template compares a role or a phase itself.

The rules assume a participant of the workshop in question: a stranger is
turned away with a 404 before any rule is asked (`selectors.participation_get`),
and the `same workshop` checks here only stop a crafted request that mixes
two workshops.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dialogue.models import (
    Comment,
    CommentState,
    Delegation,
    EndorsementRule,
    MeasurePackage,
    MeasureStatus,
    Participant,
    Phase,
    ReciprocalMeasure,
    Role,
    Session,
    Workshop,
)

MODERATOR_ROLES = frozenset({Role.FACILITATOR, Role.ORGANISER})
SUMMARY_ROLES = frozenset({Role.RAPPORTEUR, Role.ORGANISER})


# -- who someone is ----------------------------------------------------------


def is_delegate(participant: Participant) -> bool:
    """A member of one delegation, who speaks for their side."""
    return participant.role == Role.DELEGATE and participant.delegation_id is not None


def is_moderator(participant: Participant) -> bool:
    """A facilitator or organiser: runs sessions and moderates."""
    return participant.role in MODERATOR_ROLES


def is_head(participant: Participant) -> bool:
    """The head of a delegation, who acts on its behalf."""
    return is_delegate(participant) and participant.is_head


def _other_workshop(participant: Participant, workshop_id: int) -> bool:
    return participant.workshop_id != workshop_id


# -- what a session's phase allows --------------------------------------------


def discussion_is_open(session: Session) -> bool:
    """Comments are written, edited and endorsed only in the open phase."""
    return session.phase == Phase.OPEN


def ranking_is_on(session: Session) -> bool:
    """Ranking rounds open and close only in the ranking phase."""
    return session.phase == Phase.RANKING


def focus_is_live(session: Session) -> bool:
    """The item under discussion is highlighted only while discussion is
    open: in ranking nothing is under discussion any more."""
    return session.phase == Phase.OPEN


def phase_move_needs_confirmation(phase: str) -> bool:
    """Moving a session to ranking or closing it ends something for everyone
    (discussion, or ranking too): the facilitator is asked first."""
    return phase in (Phase.RANKING, Phase.CLOSED)


def discussion_closed_reason(session: Session):
    return _("This session is not open for discussion (it is “%(phase)s”).") % {
        "phase": Phase(session.phase).label
    }


# -- who sees a session ----------------------------------------------------------


def see_session_refusal(participant: Participant, session: Session):
    """A session in draft is being prepared: only the organisers and
    facilitators see it. Everyone else is answered 404, as for a session
    that does not exist (its agenda, polls, ranking, measures, summaries)."""
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    if session.phase == Phase.DRAFT and not is_moderator(participant):
        return _("This session is still being prepared.")
    return None


def can_see_session(participant: Participant, session: Session) -> bool:
    return see_session_refusal(participant, session) is None


def visible_sessions(participant: Participant, prefix: str = "") -> Q:
    """`see_session_refusal` as a filter on sessions (or, with `prefix` such
    as ``"item__session__"``, on the rows that hang off a session)."""
    visible = Q(**{f"{prefix}workshop_id": participant.workshop_id})
    if not is_moderator(participant):
        visible &= ~Q(**{f"{prefix}phase": Phase.DRAFT})
    return visible


# -- item links ----------------------------------------------------------------


def visible_links(participant: Participant) -> Q:
    """The links a participant may see: the workshop's, except (for anyone
    who may not see a draft session, `see_session_refusal`) those with an end
    in a session still in draft."""
    visible = Q(workshop_id=participant.workshop_id)
    if not is_moderator(participant):
        visible &= ~Q(item_a__session__phase=Phase.DRAFT)
        visible &= ~Q(item_b__session__phase=Phase.DRAFT)
    return visible


def suggest_link_refusal(participant: Participant, workshop_id: int):
    """Suggesting a link: the organisers, or any delegate for their delegation.
    Observers, rapporteurs and facilitators read links and suggest none."""
    if _other_workshop(participant, workshop_id):
        return _("This belongs to another workshop.")
    if participant.role == Role.ORGANISER or is_delegate(participant):
        return None
    return _("Only the organisers and the delegates can suggest a link.")


def link_suggested_for(participant: Participant) -> Delegation | None:
    """The delegation a suggestion is made for: a delegate's own; none for
    the organisers (the suggestion is theirs)."""
    return participant.delegation if is_delegate(participant) else None


def can_suggest_link(participant: Participant) -> bool:
    return suggest_link_refusal(participant, participant.workshop_id) is None


def staff_suggests_links(user) -> bool:
    """An organiser in the admin or at the command line: staff who may add links."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("dialogue.add_itemlink")
    )


def decide_link_refusal(
    participant: Participant,
    workshop: Workshop,
    delegation: Delegation | None,
    *,
    head_decides: bool,
):
    """Confirming or rejecting a link on behalf of `delegation`.

    The same rule as endorsing a measure, without the vote: `head_decides`
    is `measure_rules.endorsement_mode(...) == EndorsementVia.HEAD` for this
    delegation (the caller asks it: that module is a sibling of this one).
    Where the delegation endorses through its head, only the head decides;
    where it endorses by majority (the workshop's rule is "majority", or the
    default rule and the delegation has no head), a link is a reading of the
    texts, not a commitment, so any one of its delegates decides for it.
    """
    if _other_workshop(participant, workshop.pk):
        return _("This belongs to another workshop.")
    if not is_delegate(participant) or delegation is None:
        return _("Only a delegation's delegates can confirm or reject a link.")
    if delegation.workshop_id != workshop.pk:
        return _("This delegation is not part of the workshop.")
    if participant.delegation_id != delegation.pk:
        return _(
            "You belong to %(yours)s; you cannot decide on behalf of %(other)s."
        ) % {
            "yours": participant.delegation.display_name,
            "other": delegation.display_name,
        }
    if head_decides and not is_head(participant):
        return _(
            "In this workshop the head of %(name)s confirms or rejects links on "
            "its behalf."
        ) % {"name": delegation.display_name}
    return None


# -- running a session ---------------------------------------------------------


def staff_runs_sessions(user) -> bool:
    """An organiser in the admin: staff with the permission to change sessions."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("dialogue.change_session")
    )


def staff_issues_invitations(user) -> bool:
    """An organiser in the admin who may give participants their sign-in
    links (the admin's invitation action asks the same permission)."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm("dialogue.change_participant")
    )


def staff_permission_reason(action: str) -> str:
    """Why the admin refuses a staff user an action (`action`, e.g. "import
    workshop files"): the account lacks the model permission it needs."""
    return _(
        "Your staff account does not have the permission to %(action)s. "
        "Ask an administrator to grant it."
    ) % {"action": action}


def acting_user(by):
    """The user behind an actor: a Participant's user, or the user itself."""
    return by.user if isinstance(by, Participant) else by


def change_phase_refusal(by, session: Session):
    """`by` is a participant in the browser, or a staff user in the admin."""
    if isinstance(by, Participant):
        allowed = is_moderator(by) and not _other_workshop(by, session.workshop_id)
    else:
        allowed = staff_runs_sessions(by)
    if not allowed:
        return _("Only facilitators can change the session's phase.")
    return None


def set_focus_refusal(participant: Participant, session: Session):
    if not is_moderator(participant):
        return _("Only facilitators can mark the item under discussion.")
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    return None


# -- the discussion ----------------------------------------------------------------


def comment_refusal(participant: Participant, session: Session):
    """Posting a comment or a reply."""
    if not is_delegate(participant):
        return _("Only delegates can take part in the discussion.")
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    if not discussion_is_open(session):
        return discussion_closed_reason(session)
    return None


def endorse_comment_refusal(
    participant: Participant, comment: Comment, session: Session
):
    if not is_delegate(participant):
        return _("Only delegates can take part in the discussion.")
    if comment.author_id == participant.pk:
        return _("You cannot endorse your own comment.")
    if _other_workshop(participant, session.workshop_id):
        return _("This belongs to another workshop.")
    if not discussion_is_open(session):
        return discussion_closed_reason(session)
    return None


def edit_comment_refusal(participant: Participant, comment: Comment):
    """Who may edit a comment; when is `can_edit_comment`."""
    if comment.author_id != participant.pk:
        return _("You can only edit your own comments.")
    return None


def can_edit_comment(comment: Comment, participant: Participant, now=None) -> bool:
    """Its author, while it is visible and for COMMENT_EDIT_SECONDS after posting."""
    now = now or timezone.now()
    window = dt.timedelta(seconds=settings.COMMENT_EDIT_SECONDS)
    return (
        comment.author_id == participant.pk
        and comment.state == CommentState.VISIBLE
        and now - comment.created_at <= window
    )


def withdraw_comment_refusal(participant: Participant, comment: Comment):
    if comment.author_id != participant.pk:
        return _("You can only withdraw your own comments.")
    return None


def moderate_refusal(participant: Participant, *, action: str = "hide"):
    """Hiding and restoring comments."""
    if is_moderator(participant):
        return None
    if action == "unhide":
        return _("Only facilitators can restore comments.")
    return _("Only facilitators can hide comments.")


def can_moderate(participant: Participant) -> bool:
    return moderate_refusal(participant) is None


def can_see_hidden_body(participant: Participant, comment: Comment) -> bool:
    """A hidden comment's text is shown to the moderators and its author."""
    return is_moderator(participant) or comment.author_id == participant.pk


def can_endorse_comment(participant: Participant, comment: Comment) -> bool:
    """For the page: the button shows on visible comments of others."""
    return (
        is_delegate(participant)
        and comment.author_id != participant.pk
        and comment.state == CommentState.VISIBLE
    )


# -- priority ranking --------------------------------------------------------------


def rank_refusal(participant: Participant, session: Session):
    if not is_delegate(participant) or _other_workshop(
        participant, session.workshop_id
    ):
        return _("Only delegates rank the agenda items.")
    return see_session_refusal(participant, session)


def run_rounds_refusal(by, session: Session):
    """Opening and closing ranking rounds: as for the session's phase."""
    if change_phase_refusal(by, session) is not None:
        return _("Only facilitators and organisers run the ranking rounds.")
    return None


def see_turnout_refusal(participant: Participant):
    if not is_moderator(participant):
        return _("Only facilitators and organisers see the turnout.")
    return None


# -- summaries ---------------------------------------------------------------------


def request_summary_refusal(by, session: Session):
    """Requesting and retrying a summary (everyone in the workshop downloads):
    the rapporteur or an organiser, or a staff user in the admin."""
    if isinstance(by, Participant):
        allowed = by.role in SUMMARY_ROLES and not _other_workshop(
            by, session.workshop_id
        )
    else:
        allowed = staff_runs_sessions(by)
    if not allowed:
        return _("Only the rapporteur and the organisers compile summaries.")
    return None


# -- reciprocal measures ------------------------------------------------------------


def visible_measures(participant: Participant) -> Q:
    """The measures a participant may see: all of the workshop's, except other
    people's drafts (which answer 404, as if they did not exist) and, for
    anyone who may not see a draft session (`see_session_refusal`), those
    linked to one of its items."""
    visible = Q(workshop_id=participant.workshop_id) & (
        ~Q(status=MeasureStatus.DRAFT) | Q(proposer=participant)
    )
    if not is_moderator(participant):
        # Linked to an item of a session still in draft: not there yet.
        visible &= ~Q(items__session__phase=Phase.DRAFT)
    return visible


def write_measures_refusal(participant: Participant):
    """The measure pages' gate: anyone but a delegate reads measures and
    writes none, so every write page refuses them outright (403). A delegate
    refused one action is told why by that action's rule below."""
    if not is_delegate(participant):
        return _("Only delegates can propose and answer measures.")
    return None


def _trades_measures(participant: Participant, workshop_id: int) -> bool:
    """Delegates of the measure's own workshop propose, answer and counter."""
    return is_delegate(participant) and not _other_workshop(participant, workshop_id)


def propose_measure_refusal(participant: Participant):
    """Proposing a new measure (or saving it as a draft) in one's workshop."""
    if not _trades_measures(participant, participant.workshop_id):
        return _("Only delegates can propose a measure.")
    return None


def can_propose_measure(participant: Participant) -> bool:
    return propose_measure_refusal(participant) is None


def answer_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _trades_measures(participant, measure.workshop_id):
        return _("Only delegates can answer a measure.")
    return None


def counter_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _trades_measures(participant, measure.workshop_id):
        return _("Only delegates can counter a measure.")
    return None


def endorse_measure_refusal(
    participant: Participant, measure: ReciprocalMeasure, delegation: Delegation
):
    """Endorsing on behalf of `delegation`: its own head, in a workshop whose
    delegations endorse through their heads (not by majority alone)."""
    return _endorse_on_behalf_refusal(
        participant,
        measure.workshop,
        delegation,
        _(
            "In this workshop a delegation endorses when a majority of "
            "its delegates support a measure, not through its head."
        ),
    )


def _endorse_on_behalf_refusal(
    participant: Participant, workshop: Workshop, delegation: Delegation, majority
):
    """The endorsement rule for anything a delegation endorses (a measure, a
    package): its own head, unless the workshop's delegations endorse by
    majority alone (`majority` says so for the thing endorsed)."""
    if delegation.workshop_id != workshop.pk:
        return _("This delegation is not part of the workshop.")
    if not is_head(participant):
        return _("Only the head of a delegation can endorse on its behalf.")
    if participant.delegation_id != delegation.pk or _other_workshop(
        participant, workshop.pk
    ):
        return _("You head %(yours)s; you cannot endorse on behalf of %(other)s.") % {
            "yours": participant.delegation.display_name,
            "other": delegation.display_name,
        }
    if workshop.endorsement_rule == EndorsementRule.MAJORITY:
        return majority
    return None


# -- packages of measures ---------------------------------------------------------


def package_member_refusal(measure: ReciprocalMeasure):
    """A measure may join a package only while both sides see it on the
    table: proposed (a draft is its proposer's alone), not withdrawn or
    superseded, and linked to no item of a session still in draft (which
    only the organisers see)."""
    if measure.status == MeasureStatus.DRAFT:
        return _("A draft cannot join a package: propose it first.")
    if measure.status in (MeasureStatus.WITHDRAWN, MeasureStatus.SUPERSEDED):
        return _(
            "“%(title)s” is no longer on the table; only a measure both sides "
            "can still endorse can join a package."
        ) % {"title": measure.title}
    return None


def package_members() -> Q:
    """`package_member_refusal` as a filter on measures (without the titles)."""
    return Q(
        status__in=[
            MeasureStatus.PROPOSED,
            MeasureStatus.UNDER_DISCUSSION,
            MeasureStatus.ENDORSED_ONE,
            MeasureStatus.ENDORSED_BOTH,
        ]
    ) & ~Q(items__session__phase=Phase.DRAFT)


def visible_packages(participant: Participant) -> Q:
    """The packages a participant may see: every package of the workshop
    (its members are on the table for both sides), except, for anyone who
    may not see a draft session, one with a member linked to its items."""
    visible = Q(workshop_id=participant.workshop_id)
    if not is_moderator(participant):
        visible &= ~Q(members__items__session__phase=Phase.DRAFT)
    return visible


def create_package_refusal(participant: Participant):
    """Bundling measures into a package: a delegate of either side."""
    if not is_delegate(participant):
        return _("Only delegates can bundle measures into a package.")
    return None


def can_create_package(participant: Participant) -> bool:
    return create_package_refusal(participant) is None


def change_package_refusal(participant: Participant, package: MeasurePackage):
    """Adding or removing members, or withdrawing the package: its creator."""
    if package.created_by_id != participant.pk or _other_workshop(
        participant, package.workshop_id
    ):
        return _("Only the delegate who created a package can change or withdraw it.")
    return None


def endorse_package_refusal(
    participant: Participant, package: MeasurePackage, delegation: Delegation
):
    """Endorsing (or withdrawing the endorsement of) a package on behalf of
    `delegation`: as for a measure (`_endorse_on_behalf_refusal`)."""
    return _endorse_on_behalf_refusal(
        participant,
        package.workshop,
        delegation,
        _(
            "In this workshop a delegation endorses a package when a majority "
            "of its delegates support every measure in it, not through its head."
        ),
    )


def delegation_heads() -> Q:
    """The participants who head their delegation, as a filter: `is_head`
    for a query (does a delegation have a head; who may endorse for it)."""
    return Q(role=Role.DELEGATE, is_head=True, delegation__isnull=False)


def _is_proposer(participant: Participant, measure: ReciprocalMeasure) -> bool:
    return measure.proposer_id == participant.pk


def edit_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can edit a measure.")
    return None


def withdraw_measure_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can withdraw a measure.")
    return None


def propose_draft_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can propose a draft.")
    return None


def delete_draft_refusal(participant: Participant, measure: ReciprocalMeasure):
    if not _is_proposer(participant, measure):
        return _("Only its proposer can delete a draft.")
    return None


# -- responses: each side's answer to the recommendations addressed to it -------------


def answers(delegation_id: int | None, item, point=None) -> bool:
    """The delegation answers this item (or point): the one it is addressed
    to, and for a point addressed to both governments, either delegation."""
    if delegation_id is None:
        return False
    if point is not None and point.addressed_to_both:
        return True
    return item.addressed_to_id == delegation_id


def run_responses_refusal(by, workshop_id: int):
    """Opening and revealing the workshop's response round: its organisers
    and facilitators, or an organiser in the admin."""
    if not isinstance(by, Participant):
        if staff_runs_sessions(by):
            return None
        return _("Only organisers can run the response round.")
    if _other_workshop(by, workshop_id):
        return _("This belongs to another workshop.")
    if not is_moderator(by):
        return _("Only the facilitator or an organiser runs the response round.")
    return None


def draft_response_refusal(participant: Participant, item, point=None):
    """Writing the delegation's response: any of its delegates, for what
    it answers."""
    if _other_workshop(participant, item.session.workshop_id):
        return _("This belongs to another workshop.")
    if not is_delegate(participant):
        return _("Only delegates write their delegation's responses.")
    if not answers(participant.delegation_id, item, point):
        return _(
            "This recommendation is addressed to the other delegation: it answers it."
        )
    return None


def sees_response_drafts(participant: Participant, response) -> bool:
    """A response is drafted in a space only its own delegation's delegates
    see: not the other side, observers, the rapporteur, the facilitator or
    the organisers."""
    return (
        is_delegate(participant) and participant.delegation_id == response.delegation_id
    )


def adopt_response_refusal(participant: Participant, response, *, mode: str):
    """Adopting a revision for the delegation, under the endorsement rule
    (`mode`, from measure_rules.endorsement_mode): its head, or each of its
    delegates towards a majority."""
    if not sees_response_drafts(participant, response):
        return _("Only the answering delegation's delegates adopt its response.")
    if mode == "head" and not is_head(participant):
        return _("In this workshop the head of the delegation adopts its responses.")
    return None


def sees_revealed_responses(participant: Participant, round_) -> bool:
    """Once revealed, everyone in the workshop reads both sides' adopted
    responses."""
    return (
        round_ is not None
        and round_.revealed
        and not _other_workshop(participant, round_.workshop_id)
    )


def reply_response_refusal(participant: Participant, response, *, kind: str):
    """After the reveal, delegates of either side reply on a response; a
    request for clarification comes from a side that put the recommendation."""
    if not sees_revealed_responses(participant, response.round):
        return _("Responses can be answered once they are revealed.")
    if not is_delegate(participant):
        return _("Only delegates reply on a response.")
    if kind == "clarification" and participant.delegation_id == response.delegation_id:
        return _("A delegation does not ask itself for clarification; reply instead.")
    return None


# -- for templates -----------------------------------------------------------------


class Can:
    """What one participant may do on one page, for templates.

    `{% if can.comment %}` asks `comment_refusal(participant, session)`; each
    answer is computed once per request.
    """

    def __init__(self, participant: Participant, session: Session | None = None):
        self.participant = participant
        self.session = session

    @cached_property
    def comment(self) -> bool:
        return comment_refusal(self.participant, self.session) is None

    @cached_property
    def comment_refusal(self):
        """Why this participant cannot comment here (None if they can)."""
        return comment_refusal(self.participant, self.session)

    @cached_property
    def moderate(self) -> bool:
        return can_moderate(self.participant)

    @cached_property
    def run_session(self) -> bool:
        return change_phase_refusal(self.participant, self.session) is None

    @cached_property
    def rank(self) -> bool:
        return rank_refusal(self.participant, self.session) is None

    @cached_property
    def run_rounds(self) -> bool:
        return run_rounds_refusal(self.participant, self.session) is None

    @cached_property
    def request_summary(self) -> bool:
        return request_summary_refusal(self.participant, self.session) is None

    @cached_property
    def propose_measure(self) -> bool:
        return can_propose_measure(self.participant)

    @cached_property
    def create_package(self) -> bool:
        return can_create_package(self.participant)

    @cached_property
    def discussion_is_open(self) -> bool:
        return self.session is not None and discussion_is_open(self.session)

    @cached_property
    def ranking_is_on(self) -> bool:
        return self.session is not None and ranking_is_on(self.session)

    @cached_property
    def focus_is_live(self) -> bool:
        return self.session is not None and focus_is_live(self.session)
