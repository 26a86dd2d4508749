"""An edited comment says when it was edited, in the reader's language."""

import datetime as dt
import zoneinfo

from django.urls import reverse
from django.utils import timezone

from dialogue.models import Comment, Phase, Role
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant


def test_an_edited_comment_shows_when_in_either_language(client, seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=1)
    author = make_participant(seeded, code="US")
    edited = timezone.make_aware(dt.datetime(2026, 3, 4, 9, 30))
    Comment.objects.create(item=item, author=author, body="Words.", edited_at=edited)
    reader = make_participant(seeded, code="CN")
    client.force_login(reader.user)
    url = reverse("item_discussion", args=[seeded.slug, 1, 1])

    english = client.get(url, headers={"HX-Request": "true"}).content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(url, headers={"HX-Request": "true"}).content.decode()

    # Shown in the workshop's zone (the seeded workshop: Asia/Shanghai).
    local = timezone.localtime(edited, zoneinfo.ZoneInfo(seeded.time_zone))
    assert f'<time datetime="{local.isoformat()}">edited ' in english
    assert f'<time datetime="{local.isoformat()}">编辑于 ' in chinese
    assert "编辑时间" not in chinese


def test_a_reader_without_a_form_is_told_why(client, seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    observer = make_participant(seeded, role=Role.OBSERVER)
    client.force_login(observer.user)

    page = client.get(reverse("item_detail", args=[seeded.slug, 1, 1]))

    assert page.context["form"] is not None
    assert '<p class="notice">Only delegates can take part in the discussion.</p>' in (
        page.content.decode()
    )
    assert 'id="comment-form"' not in page.content.decode()
