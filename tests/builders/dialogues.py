"""A built dialogue: a workshop with two sessions, three delegates per side
and an observer; their names and the pages a delegate may read."""

from dataclasses import dataclass

from django.urls import reverse

from dialogue.models import (
    AgendaItem,
    Delegation,
    EndorsementRule,
    Participant,
    Role,
    Session,
    Workshop,
)
from tests.builders.people import make_participant
from tests.factories import AgendaItemFactory, SessionFactory, UserFactory


@dataclass
class Dialogue:
    """A workshop with two sessions of two items, three delegates per side
    (the first heads the delegation when `heads`), and an observer."""

    workshop: Workshop
    sessions: dict[int, Session]
    items: dict[tuple[int, int], AgendaItem]
    delegations: dict[str, Delegation]
    delegates: dict[str, list[Participant]]
    observer: Participant

    def head(self, code: str) -> Participant:
        return self.delegates[code][0]

    @staticmethod
    def other(code: str) -> str:
        return {"CN": "US", "US": "CN"}[code]

    def item_of(self, code: str) -> AgendaItem:
        """The first item that `code` proposed (session 1 is CN's, 2 is US's)."""
        return self.items[(1 if code == "CN" else 2, 1)]


def build_dialogue(workshop, *, rule=EndorsementRule.HEAD_OR_MAJORITY, heads=True):
    workshop.endorsement_rule = rule
    workshop.save()
    delegations = {d.code: d for d in workshop.delegations.all()}
    sessions, items = {}, {}
    for number, (proposer, addressee) in ((1, ("CN", "US")), (2, ("US", "CN"))):
        sessions[number] = SessionFactory(workshop=workshop, number=number)
        for n in (1, 2):
            items[(number, n)] = AgendaItemFactory(
                session=sessions[number],
                number=n,
                title=f"Item {number}.{n}",
                proposed_by=delegations[proposer],
                addressed_to=delegations[addressee],
            )
    delegates = {
        code: [
            make_participant(
                workshop,
                code=code,
                is_head=heads and i == 1,
                user=UserFactory(username=f"{workshop.slug}-{code.lower()}-{i}"),
            )
            for i in (1, 2, 3)
        ]
        for code in ("CN", "US")
    }
    observer = make_participant(
        workshop,
        role=Role.OBSERVER,
        user=UserFactory(username=f"{workshop.slug}-observer"),
    )
    return Dialogue(workshop, sessions, items, delegations, delegates, observer)


def give_names(d: "Dialogue") -> dict[str, str]:
    """Give every delegate and the observer of a built dialogue a full name;
    returns {username: display name}."""
    people = [p for group in d.delegates.values() for p in group] + [d.observer]
    names = {}
    for index, participant in enumerate(people, start=1):
        user = participant.user
        code = participant.delegation.code if participant.delegation else "Obs"
        user.first_name, user.last_name = f"Given{code}{index}", f"Family{code}{index}"
        user.save(update_fields=["first_name", "last_name"])
        names[user.username] = participant.display_name
    return names


def delegate_pages(d: "Dialogue", code: str) -> list[str]:
    """Every page of a built dialogue that a delegate of `code` may read."""
    slug = d.workshop.slug
    pages = [reverse("home"), reverse("workshop_detail", args=[slug])]
    for number in d.sessions:
        pages += [
            reverse("session_detail", args=[slug, number]),
            reverse("measure_board", args=[slug, number]),
            reverse("ranking_page", args=[slug, number]),
            reverse("summary_list", args=[slug, number]),
        ]
    for session_number, item_number in d.items:
        pages.append(reverse("item_detail", args=[slug, session_number, item_number]))
    return pages
