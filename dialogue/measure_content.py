"""What a delegate writes in a measure, as a value: its checks, how it reads
from the other side, and what a revision changed.

Nothing here writes; the transitions in `dialogue.services.measures` take a
`MeasureContent` and the pages show `measure_changes` and `content_for_side`.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.models import MeasureType, ReciprocalMeasure, Reversibility, Sequencing
from dialogue.user_text import text_problem

TITLE_MAX = 200
TIMEFRAME_MAX = 200
# What each side would do, its conditions and verification: a few paragraphs.
ACTION_MAX = 4000
# The reason given with an answer.
REASON_MAX = 2000

# Sequencing seen from the other side: "proposer first" becomes "other first".
MIRRORED_SEQUENCING = {
    Sequencing.PROPOSER_FIRST: Sequencing.OTHER_FIRST,
    Sequencing.OTHER_FIRST: Sequencing.PROPOSER_FIRST,
}


@dataclass(frozen=True)
class MeasureContent:
    """What a delegate writes in a measure (its links to items travel apart)."""

    title: str
    our_action: str
    their_action: str = ""
    sequencing: str = Sequencing.SIMULTANEOUS
    conditionality: str = ""
    verification: str = ""
    timeframe: str = ""
    reversibility: str = Reversibility.REVERSIBLE
    measure_type: str = MeasureType.OTHER

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    @classmethod
    def of(cls, measure: ReciprocalMeasure) -> "MeasureContent":
        return cls(**{name: getattr(measure, name) for name in cls.names()})

    @classmethod
    def from_dict(cls, data: dict) -> "MeasureContent":
        return cls(**{name: data[name] for name in cls.names() if name in data})

    def mirrored(self) -> "MeasureContent":
        """The same measure written by the other side: their action becomes
        ours and "proposer first" becomes "other first"."""
        values = asdict(self)
        values["our_action"], values["their_action"] = (
            self.their_action,
            self.our_action,
        )
        values["sequencing"] = MIRRORED_SEQUENCING.get(self.sequencing, self.sequencing)
        return MeasureContent(**values)


# Each text a measure holds: its label (as the form shows it), its length
# limit and whether it may span lines. The form and the services both check
# against this table, through dialogue.user_text.
TEXT_FIELDS = {
    "title": (gettext_lazy("Title"), TITLE_MAX, False),
    "our_action": (gettext_lazy("What your side would do"), ACTION_MAX, True),
    "their_action": (gettext_lazy("What the other side would do"), ACTION_MAX, True),
    "conditionality": (gettext_lazy("Conditions"), ACTION_MAX, True),
    "verification": (gettext_lazy("How it would be verified"), ACTION_MAX, True),
    "timeframe": (gettext_lazy("Timeframe"), TIMEFRAME_MAX, False),
}


def content_errors(content: MeasureContent) -> dict[str, str]:
    """The content's mistakes by field name, for people; empty when it is fine."""
    errors = {}
    for name, (label, limit, multiline) in TEXT_FIELDS.items():
        _text, problem = text_problem(
            getattr(content, name), max_length=limit, multiline=multiline
        )
        if problem:
            errors[name] = _("%(field)s %(problem)s.") % {
                "field": label,
                "problem": problem,
            }
    if "title" not in errors and not content.title.strip():
        errors["title"] = _("Give the measure a title.")
    if "our_action" not in errors and not content.our_action.strip():
        errors["our_action"] = _("Say what the proposing side would do.")
    for name, choices in (
        ("sequencing", Sequencing),
        ("reversibility", Reversibility),
        ("measure_type", MeasureType),
    ):
        if getattr(content, name) not in choices.values:
            errors[name] = _("%(value)r is not a valid choice.") % {
                "value": getattr(content, name)
            }
    return errors


def content_for_side(measure: ReciprocalMeasure, delegation_id: int) -> MeasureContent:
    """The measure's content as a delegate of `delegation_id` would write it.

    A counter-proposal from the other side starts from this, so "what our
    side would do" keeps meaning the counter's proposer's side.
    """
    content = MeasureContent.of(measure)
    if delegation_id != measure.proposing_delegation_id and content.their_action:
        return content.mirrored()
    return content


def changed_fields(
    new: MeasureContent,
    new_items: Iterable[int],
    old: MeasureContent,
    old_items: Iterable[int],
) -> list[str]:
    """Names of the fields that differ (and "items" if the links differ)."""
    changed = [
        name
        for name in MeasureContent.names()
        if getattr(new, name) != getattr(old, name)
    ]
    if set(new_items) != set(old_items):
        changed.append("items")
    return changed


def measure_changes(measure: ReciprocalMeasure) -> list[str]:
    """The fields a counter-proposal changed against its previous revision.

    Needs ``revision_of`` (with its items prefetched) and the measure's items.
    """
    previous = measure.revision_of
    if previous is None:
        return []
    return changed_fields(
        MeasureContent.of(measure),
        [item.pk for item in measure.items.all()],
        content_for_side(previous, measure.proposing_delegation_id),
        [item.pk for item in previous.items.all()],
    )
