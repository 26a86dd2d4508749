"""Builders that test modules share."""

from django.contrib.auth.models import User

from dialogue.services.accounts import organisers_group
from tests.factories import UserFactory


def admin_organiser():
    """An organiser working in the admin: staff, in the Organisers group, so
    the services let them run any session (phases, rounds, summaries)."""
    user = User.objects.filter(username="admin-organiser").first()
    if user is None:
        user = UserFactory(username="admin-organiser", is_staff=True)
        user.groups.add(organisers_group())
    return user
