"""Package actions arriving at once leave a consistent package (PostgreSQL:
each thread has its own connection; the rows locked, measures first, then
the package, serialise them)."""

from dataclasses import replace

import pytest

from dialogue.services.measures import content_for_side, measure_counter
from dialogue.services.packages import package_endorse
from tests.builders import (
    build_dialogue,
    bundle,
    package_endorsements,
    package_events,
)
from tests.builders.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 6


def test_both_heads_endorsing_at_once_agree_the_package(workshop):
    d = build_dialogue(workshop)

    def play(round_):
        package, _ = bundle(d, title=f"Round {round_}")
        results = at_once(
            *[
                lambda code=code: package_endorse(
                    package=package, delegation=d.delegations[code], by=d.head(code)
                )
                for code in ("CN", "US")
            ]
        )

        package.refresh_from_db()
        assert [kind for kind, _ in results] == ["ok", "ok"], results
        assert package.status == "agreed"
        assert package_endorsements(package) == [
            ("CN", "head", True),
            ("US", "head", True),
        ]

    for round_ in range(ROUNDS):
        play(round_)


def test_a_counter_during_an_endorsement_never_leaves_a_stale_endorsement(workshop):
    d = build_dialogue(workshop)
    counterer = d.delegates["CN"][2]

    def play(round_):
        package, (cn, us) = bundle(d, title=f"Round {round_}")
        content = replace(
            content_for_side(us, counterer.delegation_id), timeframe="Sooner"
        )
        results = at_once(
            lambda: package_endorse(
                package=package, delegation=d.delegations["US"], by=d.head("US")
            ),
            lambda: measure_counter(
                measure=us, by=counterer, content=content, items=[d.item_of("US")]
            ),
        )

        package.refresh_from_db()
        kinds = [kind for kind, _, _ in package_events(package)]
        assert results[1][0] == "ok", results
        assert "member_replaced" in kinds
        if results[0][0] == "ok" and kinds.index("endorsed") < kinds.index(
            "member_replaced"
        ):
            # Endorsed first: the counter suspended it.
            assert package.status == "suspended"
            assert package_endorsements(package) == [("US", "head", False)]
        elif results[0][0] == "ok":
            # Endorsed after the counter: of the new revision.
            assert package.status == "endorsed_one"
            assert package_endorsements(package) == [("US", "head", True)]
        else:
            assert results[0] == (
                "refused",
                ["The package changed while you endorsed it; look at it again."],
            )
            assert package_endorsements(package) == []

    for round_ in range(ROUNDS):
        play(round_)
