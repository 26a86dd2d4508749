"""Packages of measures: a bundle of two measures of a built dialogue, and
what a refused package action must leave as it was."""

import pytest

from dialogue.models import MeasurePackage, PackageEndorsement, PackageEvent
from dialogue.services.packages import PackageError, package_create
from tests.builders.dialogues import Dialogue
from tests.builders.measures import propose, state


def bundle(d: Dialogue, *, by=None, title="Hotline and visas", count=2):
    """Two measures, one proposed by each side (CN's on its item, US's on
    its), bundled by a CN delegate: (package, [cn_measure, us_measure])."""
    members = [
        propose(d, "CN", title="Military hotline"),
        propose(d, "US", title="Visa easing"),
    ][:count]
    package = package_create(
        by=by or d.delegates["CN"][1], title=title, members=members
    )
    return package, members


def package_state():
    """Everything a package action could write, with the measures' rows."""
    return (
        state(),
        list(
            MeasurePackage.objects.order_by("pk").values_list(
                "pk", "title", "status", "note"
            )
        ),
        sorted(
            MeasurePackage.members.through.objects.values_list(
                "pk", "measurepackage_id", "reciprocalmeasure_id"
            )
        ),
        list(
            PackageEndorsement.objects.order_by("pk").values_list(
                "pk", "delegation_id", "via", "endorsed_by_id", "suspended_at"
            )
        ),
        list(PackageEvent.objects.order_by("pk").values_list("pk", "kind")),
    )


def package_refused(action) -> list[str]:
    """The messages of a refused package action; it wrote nothing."""
    before = package_state()

    with pytest.raises(PackageError) as excinfo:
        action()

    assert package_state() == before
    return excinfo.value.messages


def package_events(package) -> list[tuple]:
    return list(
        PackageEvent.objects.filter(package=package)
        .order_by("pk")
        .values_list("kind", "actor__user__username", "detail")
    )


def package_endorsements(package) -> list[tuple]:
    """(code, via, active) of each delegation's endorsement, by code."""
    return [
        (e.delegation.code, e.via, e.active)
        for e in package.endorsements.select_related("delegation").order_by(
            "delegation__code"
        )
    ]
