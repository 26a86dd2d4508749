"""People: delegates and others of a workshop, and the admin's organiser."""

from django.contrib.auth.models import User

from dialogue.models import Role
from dialogue.services.accounts import organisers_group
from tests.factories import ParticipantFactory, UserFactory


def make_participant(workshop, *, role=Role.DELEGATE, code=None, **kwargs):
    delegation = workshop.delegations.get(code=code) if code else None
    return ParticipantFactory(
        workshop=workshop, role=role, delegation=delegation, **kwargs
    )


def admin_organiser():
    """An organiser working in the admin: staff, in the Organisers group, so
    the services let them run any session (phases, rounds, summaries)."""
    user = User.objects.filter(username="admin-organiser").first()
    if user is None:
        user = UserFactory(username="admin-organiser", is_staff=True)
        user.groups.add(organisers_group())
    return user
