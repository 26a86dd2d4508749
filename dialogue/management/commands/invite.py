from django.core.management.base import BaseCommand, CommandError

from dialogue.models import Participant
from dialogue.services.accounts import InvitationError, invitation_issue


class Command(BaseCommand):
    help = (
        "Print a personal invitation link for a participant. The link signs the "
        "person in once, then asks them to choose a password. Earlier unused "
        "links of the same participant stop working."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("workshop_slug")
        parser.add_argument(
            "--days", type=int, default=None, help="valid for this many days (14)"
        )

    def handle(self, *args, username, workshop_slug, days, **options):
        participant = (
            Participant.objects.select_related("user", "workshop")
            .filter(user__username=username, workshop__slug=workshop_slug)
            .first()
        )
        if participant is None:
            raise CommandError(
                f"{username!r} is not a participant of the workshop {workshop_slug!r}."
            )
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            issued = invitation_issue(participant=participant, days=days)
        except InvitationError as exc:
            raise CommandError(
                f"{exc} {self._hint(participant.user)}".strip()
            ) from None
        self.stdout.write(issued.url)
        self.stderr.write(
            f"Valid until {issued.invitation.expires_at:%Y-%m-%d %H:%M %Z}; "
            "send it to the person only."
        )

    def _hint(self, user) -> str:
        """What to do when the account cannot be invited."""
        if user.is_staff or user.is_superuser:
            return ""
        return (
            "An invitation sets a first password, so it is only for accounts "
            "that have none (e.g. the demo accounts cn-delegate-3 and "
            "us-delegate-3 of `make run`). To invite this person anyway, first "
            "disable their password in the admin: Users, "
            f"{user.get_username()}, Reset password, Password-based "
            "authentication: Disabled."
        )
