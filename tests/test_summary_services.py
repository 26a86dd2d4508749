"""Requesting, sending, compiling and retrying summaries, with jobs run in-process.

The queued path with a real worker is in test_summary_worker.py.
"""

import socket
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import timezone

from dialogue import tasks
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Comment,
    Delegation,
    Phase,
    ReciprocalMeasure,
    Role,
    Session,
    SummaryReport,
    SummaryStatus,
    Workshop,
)
from dialogue.services import summaries as service
from dialogue.services import summary_attempts as attempts
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    admin_organiser,
    docx_text,
    make_activity,
    make_participant,
    make_ranking_session,
    pdf_text,
)
from tests.factories import UserFactory, WorkshopFactory


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="open")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down(settings, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def _fail_builder(monkeypatch, exc, times=None):
    real = attempts.build_summary_document
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs)
        if times is None or len(calls) <= times:
            raise exc
        return real(**kwargs)

    monkeypatch.setattr(attempts, "build_summary_document", flaky)
    return calls


def test_request_records_a_version_and_compiles_it_after_commit(
    in_process, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())

    report.refresh_from_db()
    assert (report.version, report.status, report.progress, report.attempts) == (
        1,
        SummaryStatus.DONE,
        100,
        1,
    )
    assert report.confidentiality == "chatham_house"
    assert report.queued_at is not None
    assert report.error == ""
    stored = sorted(p.name for p in (in_process.MEDIA_ROOT).rglob("*") if p.is_file())
    assert stored == [
        "summary-s1-v1.docx",
        "summary-s1-v1.html",
        "summary-s1-v1.md",
        "summary-s1-v1.pdf",
    ]


def test_each_request_is_a_new_version_and_earlier_ones_are_kept(
    in_process, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        service.summary_request(session=session, by=admin_organiser())
        service.summary_request(session=session, by=admin_organiser())

    reports = list(
        SummaryReport.objects.filter(session=session).values_list("version", "status")
    )
    assert reports == [(2, "done"), (1, "done")]
    first = SummaryReport.objects.get(session=session, version=1)
    assert Path(first.pdf_file.path).exists()


def test_closing_a_session_requests_its_summary(
    in_process, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
        session_set_phase(session=session, phase=Phase.CLOSED, by=admin_organiser())
        session_set_phase(session=session, phase=Phase.CLOSED, by=admin_organiser())

    assert list(
        SummaryReport.objects.filter(session=session).values_list("version", "status")
    ) == [(1, "done")]


def test_compiling_a_finished_report_again_does_nothing(
    in_process, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())
    report.refresh_from_db()

    outcome = attempts.summary_compile(report_id=report.pk)

    again = SummaryReport.objects.get(pk=report.pk)
    assert outcome == "done"
    assert (again.attempts, again.finished_at) == (1, report.finished_at)


def test_compiling_after_a_crash_finishes_the_same_report(in_process, session):
    report = service.summary_request(
        session=session, by=admin_organiser()
    )  # on_commit not run
    SummaryReport.objects.filter(pk=report.pk).update(
        status=SummaryStatus.RUNNING, attempts=1, progress=30
    )

    outcome = attempts.summary_compile(report_id=report.pk)

    report.refresh_from_db()
    assert outcome == "done"
    assert (report.status, report.attempts, report.version) == ("done", 2, 1)
    assert SummaryReport.objects.filter(session=session).count() == 1


def test_a_report_that_keeps_crashing_its_worker_is_given_up(in_process, session):
    report = service.summary_request(session=session, by=admin_organiser())
    SummaryReport.objects.filter(pk=report.pk).update(
        status=SummaryStatus.RUNNING, attempts=attempts.MAX_ATTEMPTS
    )

    outcome = attempts.summary_compile(report_id=report.pk)

    report.refresh_from_db()
    assert outcome == "failed"
    assert report.error == (
        "Gave up after 5 attempts: the compilation was interrupted every time."
    )


def test_transient_errors_are_retried(
    in_process, session, monkeypatch, django_capture_on_commit_callbacks
):
    calls = _fail_builder(monkeypatch, OperationalError("database restarting"), 2)

    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())

    report.refresh_from_db()
    assert len(calls) == 3
    assert (report.status, report.attempts, report.error) == ("done", 3, "")


def test_transient_errors_fail_the_report_after_the_last_retry(
    in_process, session, monkeypatch, django_capture_on_commit_callbacks
):
    _fail_builder(monkeypatch, OSError("disk full"))

    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())

    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (
        "failed",
        attempts.MAX_ATTEMPTS,
        "OSError: disk full",
    )


def test_other_errors_fail_at_once_with_the_reason(
    in_process, session, monkeypatch, django_capture_on_commit_callbacks
):
    _fail_builder(monkeypatch, ValueError("bad ballot"))

    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())

    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == (
        "failed",
        1,
        "ValueError: bad ballot",
    )
    assert report.finished_at is not None


def test_backoff_doubles_from_five_seconds():
    assert [attempts.retry_delay(n) for n in range(5)] == [5, 10, 20, 40, 80]


def test_retrying_a_failed_report_compiles_the_same_version(
    in_process, session, monkeypatch, django_capture_on_commit_callbacks
):
    _fail_builder(monkeypatch, ValueError("bad ballot"), times=1)
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())

    with django_capture_on_commit_callbacks(execute=True):
        service.summary_retry(report=report, by=admin_organiser())

    report.refresh_from_db()
    assert (report.version, report.status, report.attempts, report.error) == (
        1,
        "done",
        1,
        "",
    )


def test_only_a_failed_report_can_be_retried(in_process, session):
    report = service.summary_request(session=session, by=admin_organiser())

    with pytest.raises(service.SummaryError):
        service.summary_retry(report=report, by=admin_organiser())


@pytest.mark.parametrize(
    ("role", "code"),
    [
        (Role.DELEGATE, "CN"),
        (Role.DELEGATE, "US"),
        (Role.OBSERVER, None),
        (Role.FACILITATOR, None),
    ],
)
def test_only_the_rapporteur_and_organisers_request_a_summary(
    in_process, session, role, code
):
    delegate = make_participant(session.workshop, role=role, code=code)

    with pytest.raises(service.SummaryForbidden) as refused:
        service.summary_request(session=session, by=delegate)

    assert (refused.value.status, refused.value.messages) == (
        403,
        ["Only the rapporteur and the organisers compile summaries."],
    )
    assert SummaryReport.objects.count() == 0


def test_a_rapporteurs_request_records_who_asked(in_process, session):
    rapporteur = make_participant(session.workshop, role=Role.RAPPORTEUR)

    report = service.summary_request(session=session, by=rapporteur)

    assert report.requested_by == rapporteur.user


def test_another_workshops_rapporteur_and_plain_staff_may_not_request(
    in_process, session
):
    other = WorkshopFactory(slug="another-dialogue")
    outsiders = [
        make_participant(other, role=Role.RAPPORTEUR),
        UserFactory(username="clerk", is_staff=True),
    ]

    for outsider in outsiders:
        with pytest.raises(service.SummaryForbidden):
            service.summary_request(session=session, by=outsider)

    assert SummaryReport.objects.count() == 0


def test_a_delegate_may_not_retry_a_failed_report(in_process, session):
    report = SummaryReport.objects.create(
        session=session, version=1, confidentiality="chatham_house", status="failed"
    )

    with pytest.raises(service.SummaryForbidden):
        service.summary_retry(
            report=report, by=make_participant(session.workshop, code="CN")
        )

    report.refresh_from_db()
    assert report.status == "failed"


def test_unreachable_broker_keeps_the_request_to_send_later(
    broker_down, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())
    report.refresh_from_db()
    still_down = service.summary_send_pending(grace=timedelta(0))
    broker_down.CELERY_TASK_ALWAYS_EAGER = True  # the queue is back

    sent = service.summary_send_pending(grace=timedelta(0))

    assert (report.status, report.queued_at) == ("queued", None)
    assert (still_down, sent) == (0, 1)
    report.refresh_from_db()
    assert report.status == "done"


def test_send_pending_waits_a_moment_for_a_request_being_sent(in_process, session):
    service.summary_request(
        session=session, by=admin_organiser()
    )  # its on_commit send not run yet

    assert service.summary_send_pending() == 0


def test_send_pending_resends_a_report_the_broker_lost(in_process, session):
    report = service.summary_request(session=session, by=admin_organiser())
    long_ago = timezone.now() - timedelta(
        seconds=3 * in_process.CELERY_VISIBILITY_TIMEOUT
    )
    SummaryReport.objects.filter(pk=report.pk).update(
        queued_at=long_ago, requested_at=long_ago
    )

    sent = service.summary_send_pending()

    report.refresh_from_db()
    assert (sent, report.status) == (1, "done")


def test_the_sweep_task_for_beat_sends_what_waits(in_process, session):
    report = service.summary_request(session=session, by=admin_organiser())
    SummaryReport.objects.filter(pk=report.pk).update(
        requested_at=timezone.now() - timedelta(minutes=1)
    )

    sent = tasks.send_pending_summaries()

    report.refresh_from_db()
    assert (sent, report.status) == (1, "done")


def test_send_pending_summaries_command_reports_what_is_left(
    broker_down, session, capsys
):
    service.summary_request(session=session, by=admin_organiser())

    with pytest.raises(CommandError, match="1 summary request"):
        call_command("send_pending_summaries")
    broker_down.CELERY_TASK_ALWAYS_EAGER = True
    call_command("send_pending_summaries")

    assert capsys.readouterr().out.splitlines() == [
        "0 summary request(s) sent, 1 still waiting.",
        "1 summary request(s) sent, 0 still waiting.",
    ]


def test_step_delay_test_hook_reads_the_environment(monkeypatch):
    monkeypatch.setenv(tasks.STEP_DELAY_ENV, "0.25")

    assert tasks._step_delay() == 0.25


# ESC, BEL, backspace, a vertical tab (Word's line break), a noncharacter and
# a C1 control: refused by the forms today, but stored by older versions or
# by an import from before the check.
UNPRINTABLE = "\x1b\x07\x08\x0b\ufffe\x9b"
WRITTEN = ["Dialogue", "Trust", "CN", "Hotline", "Point", "Remark", "Measure", "Name"]


def test_control_characters_in_stored_text_do_not_stop_the_summary(
    in_process, workshop, django_capture_on_commit_callbacks
):
    session = make_activity(workshop).session
    bad = UNPRINTABLE
    # Written through the ORM, past the validation, as old data would be.
    Workshop.objects.filter(pk=workshop.pk).update(
        title=f"Dialogue{bad}", confidentiality="on_record", source_title=f"Src{bad}"
    )
    Session.objects.filter(pk=session.pk).update(title=f"Trust{bad}")
    Delegation.objects.filter(workshop=workshop, code="CN").update(name=f"CN{bad}")
    AgendaItem.objects.filter(session=session).update(
        title=f"Hotline{bad}", body=f"Body{bad}"
    )
    AgendaPoint.objects.filter(item__session=session).update(text=f"Point{bad}")
    Comment.objects.filter(item__session=session).update(body=f"Remark{bad}")
    ReciprocalMeasure.objects.filter(workshop=workshop).update(
        title=f"Measure{bad}", our_action=f"Act{bad}", timeframe=f"Soon{bad}"
    )
    get_user_model().objects.filter(participations__workshop=workshop).update(
        first_name=f"Name{bad}"
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())

    report.refresh_from_db()
    assert (report.status, report.error, report.attempts) == ("done", "", 1)
    texts = {
        "md": Path(report.markdown_file.path).read_text(encoding="utf-8"),
        "docx": docx_text(Path(report.docx_file.path).read_bytes()),
        "pdf": pdf_text(Path(report.pdf_file.path).read_bytes()),
    }
    for fmt, text in texts.items():
        shown = [word for word in WRITTEN if word in text]
        assert (fmt, shown) == (fmt, WRITTEN)
        assert (fmt, set(text) & set(UNPRINTABLE)) == (fmt, set())
