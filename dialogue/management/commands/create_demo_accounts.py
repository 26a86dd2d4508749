from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dialogue.models import Participant, Role, Workshop
from dialogue.services.accounts import organisers_group

DEMO_PASSWORD = "dialogue-demo"  # noqa: S105 - printed on purpose, DEBUG only
# Pages name people by their full name (dialogue.naming), so the demo
# accounts have one; a delegation without names here shows usernames.
DEMO_NAMES = {
    "organiser": ("Alex", "Morgan"),
    "facilitator": ("Jordan", "Lee"),
    "rapporteur": ("Sam", "Taylor"),
    "observer": ("Chris", "Novak"),
    "cn-delegate-1": ("Wei", "Li"),
    "cn-delegate-2": ("Min", "Zhang"),
    "us-delegate-1": ("Sarah", "Collins"),
    "us-delegate-2": ("David", "Park"),
}


class Command(BaseCommand):
    help = (
        "Create demo accounts for one workshop: an organiser, a facilitator, a "
        "rapporteur, an observer and three delegates per delegation (the first "
        "heads it; the third has no password yet, to try `manage.py invite` on). "
        "For local demos only: refuses to run with DEBUG off."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?", default="what-should-the-other-side-do")

    def handle(self, *args, slug, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo accounts have a published password; this command only "
                "runs with DEBUG=1."
            )
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(
                f"There is no workshop {slug!r}; run `manage.py seed_workshop` first."
            )
        # (username, role, delegation, heads it, has the demo password)
        accounts = [
            ("organiser", Role.ORGANISER, None, False, True),
            ("facilitator", Role.FACILITATOR, None, False, True),
            ("rapporteur", Role.RAPPORTEUR, None, False, True),
            ("observer", Role.OBSERVER, None, False, True),
        ]
        invitees = []
        for delegation in workshop.delegations.all():
            prefix = delegation.code.lower()
            accounts += [
                (f"{prefix}-delegate-1", Role.DELEGATE, delegation, True, True),
                (f"{prefix}-delegate-2", Role.DELEGATE, delegation, False, True),
                # No password: an invitation link is how this one signs in.
                (f"{prefix}-delegate-3", Role.DELEGATE, delegation, False, False),
            ]
            invitees.append(f"{prefix}-delegate-3")

        with transaction.atomic():
            group = organisers_group()
            rows = []
            for username, role, delegation, is_head, password in accounts:
                user = self._user(
                    username, staff=role == Role.ORGANISER, password=password
                )
                if role == Role.ORGANISER:
                    user.groups.add(group)
                Participant.objects.update_or_create(
                    user=user,
                    workshop=workshop,
                    defaults={
                        "role": role,
                        "delegation": delegation,
                        "is_head": is_head,
                    },
                )
                label = role.label
                if delegation:
                    label = f"{label}, {delegation.name}"
                    if is_head:
                        label += ", head of delegation"
                if not user.has_usable_password():
                    label += " (no password yet: invite them)"
                rows.append((username, str(label)))

        self.stdout.write(f"Demo accounts for “{workshop.title}”:")
        width = max(len(username) for username, _ in rows)
        for username, label in rows:
            self.stdout.write(f"  {username.ljust(width)}  {label}")
        self.stdout.write(
            f"The others' password is: {DEMO_PASSWORD}\n"
            f"Sign in at {settings.SITE_URL}/accounts/login/ ; the organiser "
            f"also manages the workshop at {settings.SITE_URL}/admin/ .\n"
            f"Print an invitation link: .venv/bin/python manage.py invite "
            f"{invitees[0] if invitees else 'USERNAME'} {workshop.slug}"
        )

    def _user(self, username: str, *, staff: bool, password: bool):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username)
        if password and (created or not user.check_password(DEMO_PASSWORD)):
            user.set_password(DEMO_PASSWORD)
        elif created:
            # Kept once chosen: after accepting an invitation the person
            # signs in with the password they picked.
            user.set_unusable_password()
        if not (user.first_name or user.last_name) and username in DEMO_NAMES:
            user.first_name, user.last_name = DEMO_NAMES[username]
        user.is_staff = staff
        user.save()
        return user
