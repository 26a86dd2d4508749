"""The item page and its discussion: comments, replies, endorsements,
moderation, and the live fragment that polls for changes.

The discussion is shown a page of threads at a time (selectors.comments:
THREADS_PER_PAGE), the newest page by default; `?page=N` shows another and
`?comment=ID` the page holding that comment (its permalink). A poll or an
htmx write that names, in its tag, a version of the same view gets a delta:
the rows changed since that version as htmx out-of-band swaps (a changed
row replaces itself, a new one is appended to its parent's replies box),
answered with `HX-Reswap: none` and the new tag in `ETag`. Anything else
(an unknown or foreign tag, another phase, more than DELTA_LIMIT changed
rows) gets the page re-rendered in full.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue import permissions
from dialogue.errors import refusal_response
from dialogue.forms.comments import CommentForm, EditForm
from dialogue.live import (
    ClientTag,
    PageSpec,
    item_etag,
    item_fragment_etag,
    live_poll,
    parse_item_tag,
    phase_changed,
)
from dialogue.selectors.comments import (
    Outline,
    comment_find,
    comment_get,
    discussion_rows,
    item_outline,
    reply_target,
)
from dialogue.selectors.links import item_links
from dialogue.selectors.responses import response_round, responses_for
from dialogue.selectors.workshops import (
    item_get,
    item_neighbours,
    participation_get,
    session_get,
)
from dialogue.services import comments as comment_services
from dialogue.services.comments import CommentError
from dialogue.user_text import markdown_to_text
from dialogue.views.confirm import ConfirmStep, confirm_response, confirmed
from dialogue.views.params import positive_number

DISCUSSION = "discussion"
# More changed rows than this since the poll's version: re-render the page.
DELTA_LIMIT = 40


def _item_context(request, slug, number, item_number):
    participant = participation_get(user=request.user, slug=slug)
    session = session_get(participant=participant, number=number)
    item = item_get(session=session, number=item_number)
    return participant, session, item


COMMENT_ACTIONS = (
    "comment_endorse",
    "comment_withdraw",
    "comment_hide",
    "comment_unhide",
    "comment_edit",
    "comment_reply",
)
_PLACEHOLDER = "2147483647"  # a comment id no reversed URL otherwise contains


def _add_action_urls(rows, slug: str) -> None:
    """Each row's action URLs (`row.urls[name]`). Reversed once per page with
    a placeholder id that each row replaces: reversing five URLs per comment
    cost more than the rest of the comment's row."""
    parts = {
        name: reverse(name, args=[slug, _PLACEHOLDER]).rsplit(_PLACEHOLDER, 1)
        for name in COMMENT_ACTIONS
    }
    for row in rows:
        pk = row.comment.pk
        row.urls = {name: f"{head}{pk}{tail}" for name, (head, tail) in parts.items()}


def _resolve(outline: Outline, spec: PageSpec, comment_id=None) -> PageSpec:
    """The page a view shows: the one holding `comment_id` if given, else
    the page asked for; the newest page (and a page past it) is shown as the
    growing tail, and a tail that has since grown restarts at the newest."""
    number = spec.number
    if comment_id is not None:
        number = outline.page_of(comment_id) or number
    elif spec.tail:
        number = None
    if number is None or number >= outline.pages:
        return PageSpec(outline.pages, True)
    return PageSpec(number, False)


def _discussion_context(
    participant, session, item, *, spec, comment_id=None, replied_to=None
):
    """The full discussion of one page (rows, pager, the tag of what it shows)."""
    outline = item_outline(item=item)
    page = _resolve(outline, spec, comment_id)
    ids = outline.ids_on(page.number, tail=page.tail)
    threads, endorsed = discussion_rows(
        outline=outline, ids=ids, participant=participant
    )
    # Read the item before its comments: the tag is never newer than them.
    etag = _tag_now(participant, session, item, outline, page)
    context = _shared_context(participant, session, item, outline, page, etag)
    context.update(
        {
            "threads": threads,
            "endorsed": endorsed,
            # The comment just answered in place: its reply slot is emptied.
            "replied_to": replied_to,
        }
    )
    return context


def _tag_now(participant, session, item, outline, page):
    """The discussion's tag at the newest version read (the item's row or
    its comments', whichever was read later)."""
    return item_fragment_etag(
        participant=participant,
        session=session,
        item=item,
        kind=DISCUSSION,
        page=page,
        version=max(item.version, outline.version),
    )


def _shared_context(participant, session, item, outline, page, etag):
    slug = participant.workshop.slug
    item_url = reverse("item_detail", args=[slug, session.number, item.number])
    query = f"?page={page.number}" + ("&tail=1" if page.tail else "")
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "item": item,
        "item_url": item_url,
        "poll_url": reverse("item_discussion", args=[slug, session.number, item.number])
        + query,
        "page": page,
        "pages": range(1, outline.pages + 1) if outline.pages > 1 else (),
        "can": permissions.Can(participant, session),
        "etag": etag,
        "poll_seconds": settings.LIVE_POLL_SECONDS,
    }


def _delta(request, participant, session, item, client: ClientTag | None, replied_to):
    """The changes since the version the client's tag names, or None when
    only a full render will do (see the module's docstring)."""
    if client is None or client.page.number is None:
        return None
    expected = item_fragment_etag(
        participant=participant,
        session=session,
        item=item,
        kind=DISCUSSION,
        page=client.page,
        version=client.version,
    )
    if expected != client.tag:  # another viewer, phase, language or page
        return None
    outline = item_outline(item=item)
    page = client.page
    if client.version > max(item.version, outline.version) or (
        not page.tail and page.number >= outline.pages
    ):
        return None  # a tag from the future, or a page that became the tail
    since = client.version
    changed = [
        pk
        for pk in outline.ids_on(page.number, tail=page.tail)
        if outline.changed[pk] > since
    ]
    if len(changed) > DELTA_LIMIT:
        return None
    rows, endorsed = discussion_rows(
        outline=outline, ids=changed, participant=participant, alone=True
    )
    for row in rows:
        row.is_new = outline.created[row.comment.pk] > since
    _add_action_urls(rows, participant.workshop.slug)
    etag = _tag_now(participant, session, item, outline, page)
    context = _shared_context(participant, session, item, outline, page, etag)
    context.update(
        {"rows": rows, "endorsed": endorsed, "oob": True, "replied_to": replied_to}
    )
    response = render(request, "item_detail.html#discussion_delta", context)
    response["HX-Reswap"] = "none"
    response["X-Live-Delta"] = str(len(rows))
    return _live_headers(response, etag)


def _live_headers(response, etag):
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "HX-Request"
    return response


def _discussion_response(
    request, participant, session, item, client, spec, replied_to=None
):
    """A delta when the client's tag allows one, else the page in full."""
    response = _delta(request, participant, session, item, client, replied_to)
    if response is not None:
        return response
    context = _discussion_context(
        participant, session, item, spec=spec, replied_to=replied_to
    )
    _add_action_urls(context["threads"], participant.workshop.slug)
    response = render(request, "item_detail.html#discussion", context)
    return _live_headers(response, context["etag"])


def _render_item(request, participant, session, item, form, status=200, errors=()):
    # The fragment's tag goes in `data-etag`, so the page's first poll is a
    # 304 when nothing changed. The page itself sends no ETag: it shows more
    # than the discussion (measures, points, the form's one-time submission
    # key), so a 304 on reload could show a stale page or resend an old key.
    spec = PageSpec.from_query(request.GET)
    comment_id = positive_number(request.GET.get("comment"))
    context = _discussion_context(
        participant, session, item, spec=spec, comment_id=comment_id
    )
    _add_action_urls(context["threads"], participant.workshop.slug)
    context["action_errors"] = list(errors) or (
        form.non_field_errors() + form["parent"].errors if form.is_bound else []
    )
    reply_to = positive_number(
        form["parent"].value() if form.is_bound else request.GET.get("reply_to")
    )
    parent = None
    if reply_to is not None:
        parent = reply_target(item=item, comment_id=reply_to)
    points = list(item.points.all())
    context.update(
        {
            "form": form,
            "reply_to": parent,
            "reply_quote": markdown_to_text(parent.body) if parent else "",
            "points": points,
            "item_links": item_links(participant=participant, item=item),
            **item_neighbours(item=item),
            **_responses_context(participant, item, points),
        }
    )
    return render(request, "item_detail.html", context, status=status)


def _responses_context(participant, item, points) -> dict:
    """The item's responses as this viewer may see them (sealed, own, or
    revealed): the page's short section; the responses page has the rest."""
    round_ = response_round(workshop=participant.workshop)
    if round_ is None:
        return {"response_round": None}
    views = responses_for(
        participant=participant,
        workshop=participant.workshop,
        item=item,
        points=points,
        round_=round_,
    )
    return {
        "response_round": round_,
        "item_responses": views,
        "item_response_own": any(view.own for view in views),
    }


@require_GET
@login_required
def item_detail(request, slug, number, item_number):
    participant, session, item = _item_context(request, slug, number, item_number)
    initial = {}
    if (reply_to := positive_number(request.GET.get("reply_to"))) is not None:
        initial["parent"] = reply_to
    if (position := positive_number(request.GET.get("point"))) is not None:
        initial["point"] = item.points.filter(position=position).first()
    form = CommentForm(item=item, initial=initial)
    return _render_item(request, participant, session, item, form)


@require_GET
@login_required
@live_poll(DISCUSSION, etag=item_etag)
def discussion_fragment(request, slug, number, item_number):
    """The discussion fragment that the item page polls: a delta from the
    version its If-None-Match names, or the page in full."""
    participant, session, item = _item_context(request, slug, number, item_number)
    client = parse_item_tag(request.headers.get("If-None-Match"))
    response = _discussion_response(
        request,
        participant,
        session,
        item,
        client,
        PageSpec.from_query(request.GET),
    )
    if phase_changed(request, session):
        response.content += _phase_regions(request, session, item, participant)
    return response


# The item page's regions outside the discussion that the phase decides: the
# phase badge, the points' "Comment on this point" links and the comment form
# (or the line saying why there is none). Sent out of band by the poll that
# finds the phase moved (dialogue/live.py).
ITEM_PHASE_REGIONS = ("item_phase", "points", "comment_form")


def _phase_regions(request, session, item, participant) -> bytes:
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "item": item,
        "can": permissions.Can(participant, session),
        "oob": True,
        "points": item.points.all(),
        "form": CommentForm(item=item),
    }
    return b"".join(
        render(request, f"item_detail.html#{region}", context).content
        for region in ITEM_PHASE_REGIONS
    )


def _back_to_item(
    request, participant, session, item, comment_id=None, replied_to=None
):
    """After a write: for htmx, the changes since what the page showed (its
    tag comes in X-Live-Etag) or the discussion in full; a redirect to the
    comment's permalink otherwise."""
    if request.htmx:
        client = parse_item_tag(request.headers.get("X-Live-Etag"))
        spec = client.page if client is not None else PageSpec()
        return _discussion_response(
            request, participant, session, item, client, spec, replied_to=replied_to
        )
    url = reverse(
        "item_detail", args=[participant.workshop.slug, session.number, item.number]
    )
    if comment_id is None:
        return redirect(url)
    return redirect(f"{url}?comment={comment_id}#comment-{comment_id}")


def _refused(request, participant, session, item, exc: CommentError):
    """A refused action: its status with the reason, in the fragment for htmx,
    on the item page otherwise."""
    if request.htmx:
        return refusal_response(request, exc)
    form = CommentForm(item=item)
    return _render_item(
        request,
        participant,
        session,
        item,
        form,
        status=exc.status,
        errors=exc.messages,
    )


@require_POST
@login_required
def comment_create(request, slug, number, item_number):
    participant, session, item = _item_context(request, slug, number, item_number)
    form = CommentForm(request.POST, item=item)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = comment_find(
            participant=participant, comment_id=form.cleaned_data["parent"]
        )
        if parent is None:
            form.add_error(None, _("The comment you are replying to does not exist."))
    if form.is_valid():
        try:
            comment = comment_services.comment_post(
                participant=participant,
                item=item,
                body=form.cleaned_data["body"],
                point=form.cleaned_data["point"],
                parent=parent,
                submission_key=form.cleaned_data["submission"],
            )
        except CommentError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        if request.htmx:
            messages = [error for errors in form.errors.values() for error in errors]
            return refusal_response(request, CommentError(messages))
        return _render_item(request, participant, session, item, form, status=400)
    if request.htmx and request.POST.get("in_place"):
        # A reply written under its comment: the page's own form is untouched.
        replied_to = parent.pk if parent else None
        return _back_to_item(request, participant, session, item, replied_to=replied_to)
    if request.htmx:
        # The new comment, and a fresh empty form swapped in out of band.
        response = _back_to_item(request, participant, session, item)
        fresh = render(
            request,
            "item_detail.html#comment_form",
            {
                "form": CommentForm(item=item),
                "item": item,
                "session": session,
                "workshop": participant.workshop,
                "can": permissions.Can(participant, session),
                "oob": True,
            },
        )
        response.content += fresh.content
        return response
    return _back_to_item(request, participant, session, item, comment.pk)


def _comment_action(request, slug, comment_id):
    participant = participation_get(user=request.user, slug=slug)
    comment = comment_get(participant=participant, comment_id=comment_id)
    return participant, comment, comment.item.session, comment.item


def _comment_post_action(service, *, ask=None, **extra):
    """A POST that applies one comment service, then shows the discussion.

    With `ask` (a function of the participant and comment giving the
    `ConfirmStep`, or the refusal when the action is not theirs), the action
    has a confirm step: a GET shows it, and a POST acts only with confirm=1.
    """

    @require_http_methods(["GET", "POST"] if ask else ["POST"])
    @login_required
    def view(request, slug, comment_id):
        participant, comment, session, item = _comment_action(request, slug, comment_id)
        if ask is not None and not confirmed(request):
            step = ask(request, participant, comment)
            if isinstance(step, CommentError):
                return _refused(request, participant, session, item, step)
            return confirm_response(
                request, step, context=_confirm_context(participant, session, item)
            )
        arguments = {name: request.POST.get(name, "") for name in extra}
        try:
            service(participant=participant, comment=comment, **arguments)
        except CommentError as exc:
            return _refused(request, participant, session, item, exc)
        return _back_to_item(request, participant, session, item, comment.pk)

    return view


@require_GET
@login_required
def comment_reply(request, slug, comment_id):
    """The reply form under a comment, for htmx; without it, the item page
    with its own form set to reply."""
    participant, comment, session, item = _comment_action(request, slug, comment_id)
    url = reverse("item_detail", args=[slug, session.number, item.number])
    if not request.htmx:
        return redirect(f"{url}?reply_to={comment.pk}#comment-form")
    if reason := permissions.comment_refusal(participant, session):
        return refusal_response(request, CommentError(reason, status=403))
    parent = reply_target(item=item, comment_id=comment.pk)
    if parent is None:
        return refusal_response(
            request, CommentError(_("The comment you are replying to does not exist."))
        )
    form = CommentForm(
        item=item, initial={"parent": parent.pk}, auto_id=f"reply-{parent.pk}-%s"
    )
    context = {
        "workshop": participant.workshop,
        "session": session,
        "item": item,
        "item_url": url,
        "form": form,
        "reply_to": parent,
        "reply_quote": markdown_to_text(parent.body),
    }
    return render(request, "item_detail.html#reply_form", context)


# -- the confirm steps (dialogue/views/confirm.py) ---------------------------------


def _confirm_context(participant, session, item):
    return {"workshop": participant.workshop, "session": session, "item": item}


def _comment_url(name, participant, comment):
    return reverse(name, args=[participant.workshop.slug, comment.pk])


def _cancel_url(participant, comment):
    item = comment.item
    url = reverse(
        "item_detail",
        args=[participant.workshop.slug, item.session.number, item.number],
    )
    return f"{url}#comment-{comment.pk}"


def _ask_withdraw(request, participant, comment):
    if reason := permissions.withdraw_comment_refusal(participant, comment):
        return CommentError(reason, status=403)
    return ConfirmStep(
        question=_("Withdraw your comment?"),
        consequence=_(
            "Everyone will see it marked as withdrawn, and its replies stay. "
            "This cannot be undone."
        ),
        label=_("Withdraw"),
        action=_comment_url("comment_withdraw", participant, comment),
        cancel=_cancel_url(participant, comment),
        target="#discussion",
    )


def _ask_hide(request, participant, comment):
    if reason := permissions.moderate_refusal(participant, action="hide"):
        return CommentError(reason, status=403)
    data = request.POST if request.method == "POST" else request.GET
    return ConfirmStep(
        question=_("Hide this comment?"),
        consequence=_(
            "Participants will see that a facilitator hid it; its author sees "
            "the reason. You can show it again later."
        ),
        label=_("Hide"),
        action=_comment_url("comment_hide", participant, comment),
        cancel=_cancel_url(participant, comment),
        reason=data.get("reason", "")[: comment_services.HIDE_REASON_MAX_LENGTH],
        target="#discussion",
    )


comment_endorse = _comment_post_action(comment_services.comment_endorse)
comment_withdraw = _comment_post_action(
    comment_services.comment_withdraw, ask=_ask_withdraw
)
comment_hide = _comment_post_action(
    comment_services.comment_hide, ask=_ask_hide, reason=""
)
comment_unhide = _comment_post_action(comment_services.comment_unhide)


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request, slug, comment_id):
    participant, comment, session, item = _comment_action(request, slug, comment_id)
    if permissions.edit_comment_refusal(participant, comment) is not None:
        raise Http404  # nobody edits on another's behalf; nothing to show them
    form = EditForm(request.POST or None, initial={"body": comment.body})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                comment_services.comment_edit(
                    participant=participant,
                    comment=comment,
                    body=form.cleaned_data["body"],
                )
            except CommentError as exc:
                form.add_error(None, exc)
            else:
                return _back_to_item(request, participant, session, item, comment.pk)
        status = 400
    context = {
        "workshop": participant.workshop,
        "session": session,
        "item": item,
        "comment": comment,
        "form": form,
        "can_edit": permissions.can_edit_comment(comment, participant),
    }
    return render(request, "comment_edit.html", context, status=status)
