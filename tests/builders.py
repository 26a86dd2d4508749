"""Shared test builders: plain functions and constants that build test data
or read what the application produced.

Every test module imports its helpers from here (or its model factories from
tests/factories.py); no test module imports another. Fixtures live in
tests/conftest.py, which may use these builders.
"""

import functools
import io
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document
from hypothesis import strategies as st
from pypdf import PdfReader

from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    CommentState,
    Delegation,
    EndorsementRule,
    MeasureEndorsement,
    MeasureEvent,
    MeasurePackage,
    MeasureResponse,
    MeasureStatus,
    PackageEndorsement,
    PackageEvent,
    Participant,
    Ranking,
    RankingEntry,
    ReciprocalMeasure,
    Role,
    Session,
    Workshop,
)
from dialogue.services.accounts import organisers_group
from dialogue.services.measures import MeasureContent, MeasureError, measure_create
from dialogue.services.packages import PackageError, package_create
from tests.factories import (
    AgendaItemFactory,
    ParticipantFactory,
    RankingRoundFactory,
    ReciprocalMeasureFactory,
    SessionFactory,
    SummaryCommentFactory,
    SummaryMeasureResponseFactory,
    UserFactory,
)

TESTS = Path(__file__).resolve().parent
ARTIFACTS = TESTS.parent / "test-artifacts"


# --- people ------------------------------------------------------------------


def make_participant(workshop, *, role=Role.DELEGATE, code=None, **kwargs):
    delegation = workshop.delegations.get(code=code) if code else None
    return ParticipantFactory(
        workshop=workshop, role=role, delegation=delegation, **kwargs
    )


# --- pages -------------------------------------------------------------------


def login(client, participant):
    """Sign the test client in as `participant`."""
    client.force_login(participant.user)
    return participant


def page_text(response) -> str:
    return response.content.decode()


def count_get_queries(client, path, **headers) -> int:
    """Queries of one GET of `path` (which must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(queries)


# --- the browser -------------------------------------------------------------


def screenshot(page, name: str) -> Path:
    """Keep a screenshot in test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, live_server, username: str, password: str = "pw-for-tests-only"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@functools.cache
def _axe_source() -> str:
    """axe-core, vendored in tests/assets (MPL-2.0, version 4.14.1)."""
    return (TESTS / "assets" / "axe.min.js").read_text()


def axe_violations(page) -> list[str]:
    # The site's CSP forbids injected scripts, so this context bypasses it.
    page.add_script_tag(content=_axe_source())
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']}))"
        ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return result


# --- workshop files ----------------------------------------------------------


def small_file() -> dict:
    return {
        "slug": "small",
        "title": "Small dialogue",
        "source": {"title": "", "authors": [], "date": "", "publisher": ""},
        "confidentiality": "chatham_house",
        "delegations": [{"code": "CN", "name": "China"}, {"code": "US", "name": "USA"}],
        "sessions": [
            {
                "title": "One",
                "items": [
                    {
                        "number": 1,
                        "title": "First",
                        "body": "Text",
                        "proposed_by": "CN",
                        "addressed_to": "US",
                        "points": ["a", "b"],
                    }
                ],
            }
        ],
    }


# --- sessions and rankings ---------------------------------------------------


def make_ranking_session(workshop, *, number=1, items=4, phase="open"):
    """A session of `workshop` with `items` agenda items numbered from 1.

    Items alternate their proposer between the first two delegations (by
    code), so neither side proposes them all.
    """
    delegations = list(workshop.delegations.all())
    session = SessionFactory(workshop=workshop, number=number, phase=phase)
    for n in range(1, items + 1):
        proposer = delegations[(n - 1) % 2]
        addressee = delegations[n % 2]
        AgendaItemFactory(
            session=session,
            number=n,
            title=f"Item {n} of session {number}",
            proposed_by=proposer,
            addressed_to=addressee,
        )
    return session


def item_ids(session, numbers):
    by_number = dict(session.items.values_list("number", "id"))
    return [by_number[n] for n in numbers]


def ranking_url(name, session, *extra):
    return reverse(name, args=[session.workshop.slug, session.number, *extra])


def ranking_form(session, numbers, round_number=1):
    """The plain form's fields for an order of item numbers, best first."""
    data = {"round": str(round_number)}
    for position, item_id in enumerate(item_ids(session, numbers), start=1):
        data[f"position-{item_id}"] = str(position)
    return data


def stored_rankings(session):
    """(username, round number, item numbers best first) of every ranking."""
    return sorted(
        (
            r.participant.user.username,
            r.round.number,
            [e.item.number for e in r.entries.order_by("position")],
        )
        for r in Ranking.objects.filter(round__session=session)
    )


def ranking_error_text(response) -> str:
    match = re.search(r'id="ranking-error">\s*<p>(.*?)</p>', page_text(response))
    return match.group(1) if match else ""


# --- ranking maths -----------------------------------------------------------


@st.composite
def elections(draw, min_items=1, max_items=6, min_ballots=0, max_ballots=12):
    n = draw(st.integers(min_items, max_items))
    candidates = list(range(n))
    ballots = draw(
        st.lists(
            st.permutations(candidates), min_size=min_ballots, max_size=max_ballots
        )
    )
    return candidates, ballots


# --- comments ----------------------------------------------------------------

# Hostile comment bodies: none may come back from a page as live markup.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](&#106;avascript:alert(1))",
    "<base href=javascript:alert(1)//>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    '[x](https://ok.example "title\\" onmouseover=alert(1)")',
    "<textarea></textarea><script>alert(1)</script>",
]


def item_url(item, name="item_detail"):
    return reverse(
        name, args=[item.session.workshop.slug, item.session.number, item.number]
    )


def comment_action_url(name, comment):
    return reverse(name, args=[comment.item.session.workshop.slug, comment.pk])


# --- measures ----------------------------------------------------------------

CONTENT = MeasureContent(
    title="Military hotline",
    our_action="Our side would name a duty officer for the hotline.",
    their_action="Your side would answer within an hour.",
    sequencing="proposer_first",
    conditionality="Only if both sides keep the line open.",
    verification="Monthly test calls.",
    timeframe="Three months",
    reversibility="reversible",
    measure_type="communication",
)


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


def state():
    """Everything a measure action could write."""
    return (
        list(
            ReciprocalMeasure.objects.order_by("pk").values_list(
                "pk", "status", "title", "our_action", "revision", "proposed_at"
            )
        ),
        list(
            MeasureResponse.objects.order_by("pk").values_list(
                "pk", "participant_id", "stance", "reason"
            )
        ),
        list(
            MeasureEndorsement.objects.order_by("pk").values_list(
                "pk", "delegation_id", "via", "endorsed_by_id"
            )
        ),
        list(MeasureEvent.objects.order_by("pk").values_list("pk", "kind")),
        list(Session.objects.order_by("pk").values_list("pk", "version")),
    )


def refused(action) -> list[str]:
    """The messages of a refused action, after checking it wrote nothing."""
    before = state()

    with pytest.raises(MeasureError) as excinfo:
        action()

    assert state() == before
    return excinfo.value.messages


def events(measure) -> list[tuple]:
    return list(
        MeasureEvent.objects.filter(measure=measure)
        .order_by("pk")
        .values_list("kind", "from_status", "to_status", "actor__user__username")
    )


def propose(d: Dialogue, code: str = "CN", *, who: int = 1, **changes):
    return measure_create(
        proposer=d.delegates[code][who],
        content=replace(CONTENT, **changes),
        items=[d.item_of(code)],
    )


def measure_url(name, d, *args):
    return reverse(name, args=[d.workshop.slug, *args])


def titles(column) -> list[str]:
    return [m.title for m in column]


# --- packages of measures ----------------------------------------------------


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


# --- summaries ---------------------------------------------------------------
#
# `make_activity` builds one small, fully known session that the summary test
# modules share. Every person in it has "Zqx" in their name, username, email
# and affiliation, so a leak into any format is easy to detect.


@dataclass
class Activity:
    session: Session
    people: dict  # key -> Participant
    secrets: list  # every identifying string of every participant


def _person(workshop, key, *, role=Role.DELEGATE, code=None):
    user = UserFactory(
        username=f"zqx-{key}",
        first_name=f"Zqxfirst{key.replace('-', '')}",
        last_name=f"Zqxlast{key.replace('-', '')}",
        email=f"zqxmail-{key}@zqx-mail.example",
    )
    return make_participant(
        workshop,
        role=role,
        code=code,
        user=user,
        affiliation=f"Zqx Institute of {key}",
    )


def cast_ballot(round_, participant, items):
    ranking = Ranking.objects.create(round=round_, participant=participant)
    RankingEntry.objects.bulk_create(
        RankingEntry(ranking=ranking, item=item, position=position)
        for position, item in enumerate(items, start=1)
    )


def make_activity(workshop) -> Activity:
    session = make_ranking_session(workshop, items=3, phase="closed")
    i1, i2, i3 = session.items.order_by("number")
    AgendaPoint.objects.create(item=i1, position=1, text="Open a hotline.")
    point = i1.points.get()
    people = {
        "cn-1": _person(workshop, "cn-1", code="CN"),
        "cn-2": _person(workshop, "cn-2", code="CN"),
        "us-1": _person(workshop, "us-1", code="US"),
        "us-2": _person(workshop, "us-2", code="US"),
        "org": _person(workshop, "org", role=Role.ORGANISER),
        "fac": _person(workshop, "fac", role=Role.FACILITATOR),
        "rap": _person(workshop, "rap", role=Role.RAPPORTEUR),
    }
    p = people
    start = timezone.now() - timedelta(hours=2)
    SummaryCommentFactory(
        item=i1,
        author=p["cn-1"],
        body="Trust needs a hotline.",
        endorsement_count=3,
        point=point,
        created_at=start,
    )
    tariffs = SummaryCommentFactory(
        item=i1,
        author=p["cn-2"],
        body="Tariffs come first.",
        endorsement_count=5,
        created_at=start + timedelta(minutes=1),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["us-1"],
        parent=tariffs,
        body="Agreed on tariffs.",
        created_at=start + timedelta(minutes=2),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["us-1"],
        body="What would verification look like?",
        endorsement_count=1,
        created_at=start + timedelta(minutes=3),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["us-2"],
        body="A hidden insult.",
        state=CommentState.HIDDEN,
        hidden_reason="Abusive.",
        created_at=start + timedelta(minutes=4),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["cn-1"],
        body="A withdrawn thought.",
        state=CommentState.WITHDRAWN,
        created_at=start + timedelta(minutes=5),
    )
    SummaryCommentFactory(
        item=i3,
        author=p["fac"],
        body="Let us keep to time.",
        created_at=start + timedelta(minutes=6),
    )
    closed = RankingRoundFactory(session=session, number=1, closed_at=timezone.now())
    for key in ("cn-1", "cn-2"):
        cast_ballot(closed, p[key], [i1, i2, i3])
    for key in ("us-1", "us-2"):
        cast_ballot(closed, p[key], [i1, i3, i2])
    still_open = RankingRoundFactory(session=session, number=2)
    for key in ("cn-1", "cn-2", "us-1", "us-2"):
        cast_ballot(still_open, p[key], [i3, i2, i1])
    hotline = ReciprocalMeasureFactory(
        proposer=p["cn-1"], title="Joint hotline", items=[i1]
    )
    for key in ("cn-2", "us-1", "us-2"):
        SummaryMeasureResponseFactory(measure=hotline, participant=p[key])
    ReciprocalMeasureFactory(
        proposer=p["us-1"],
        title="Secret draft",
        status=MeasureStatus.DRAFT,
        proposed_at=None,
        items=[i1],
    )
    visas = ReciprocalMeasureFactory(
        proposer=p["us-1"],
        title="Visa easing",
        status=MeasureStatus.UNDER_DISCUSSION,
        items=[i2],
    )
    SummaryMeasureResponseFactory(measure=visas, participant=p["cn-1"], stance="oppose")
    SummaryMeasureResponseFactory(
        measure=visas, participant=p["cn-2"], stance="clarify"
    )
    SummaryMeasureResponseFactory(measure=visas, participant=p["us-2"])
    secrets = []
    for participant in people.values():
        user = participant.user
        secrets += [
            user.first_name,
            user.last_name,
            user.username,
            user.email,
            participant.affiliation,
        ]
    return Activity(session=session, people=people, secrets=secrets)


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def admin_organiser():
    """An organiser working in the admin: staff, in the Organisers group, so
    the services let them run any session (phases, rounds, summaries)."""
    user = User.objects.filter(username="admin-organiser").first()
    if user is None:
        user = UserFactory(username="admin-organiser", is_staff=True)
        user.groups.add(organisers_group())
    return user


# --- display names, names per language, time zones -----------------------------


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
