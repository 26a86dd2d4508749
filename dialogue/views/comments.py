"""The item page and its discussion: comments, replies, endorsements,
moderation, and the live fragment that polls for changes."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dialogue import selectors
from dialogue.models import AgendaPoint, Comment, CommentState, Phase, Role
from dialogue.services import comments as comment_services
from dialogue.services.comments import CommentError


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.COMMENT_MAX_LENGTH,
        help_text=_(
            "Markdown-lite: *emphasis*, **strong**, `code`, lists, links. "
            "At most 10,000 characters."
        ),
        error_messages={"required": _("Write something before posting.")},
    )
    point = forms.ModelChoiceField(
        label=_("Comment on"),
        queryset=AgendaPoint.objects.none(),
        required=False,
        empty_label=_("The whole item"),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = item.points.all()
        self.fields["point"].label_from_instance = lambda point: (
            f"{point.label} {point.text[:70]}"
        )


def _number(value) -> int | None:
    """A positive whole number from a query or form value, or None.

    Only ASCII digits: str.isdigit() accepts "²", which int() refuses.
    """
    value = str(value or "")
    if value.isascii() and value.isdigit() and len(value) <= 12:
        return int(value)
    return None


def live_etag(request, slug: str, number: int) -> str | None:
    """The ETag of everything a live page of this session shows, or None for
    anyone outside the workshop. One query (plus the user's, done by auth)."""
    found = selectors.session_live_version(user=request.user, slug=slug, number=number)
    if found is None:
        return None
    session_id, version = found
    return f'"s{session_id}.v{version}.u{request.user.pk}.{get_language()}"'


def not_modified(request, etag: str) -> HttpResponse | None:
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    return None


def _live_headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _item_context(request, slug, number, item_number):
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    item = selectors.item_get(session=session, number=item_number)
    return participant, session, item


def _discussion_context(participant, session, item, etag=None):
    threads, endorsed = selectors.item_discussion(item=item, participant=participant)
    return {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "item": item,
        "threads": threads,
        "endorsed": endorsed,
        "can_write": participant.role == Role.DELEGATE and session.phase == Phase.OPEN,
        "can_moderate": participant.role in comment_services.MODERATOR_ROLES,
        "etag": etag,
        "poll_seconds": settings.LIVE_POLL_SECONDS,
    }


def _render_item(request, participant, session, item, form, status=200, errors=()):
    context = _discussion_context(participant, session, item)
    context["action_errors"] = list(errors) or (
        form.non_field_errors() + form["parent"].errors if form.is_bound else []
    )
    reply_to = _number(
        form["parent"].value() if form.is_bound else request.GET.get("reply_to")
    )
    parent = None
    if reply_to is not None:
        parent = Comment.objects.filter(
            pk=reply_to, item=item, state=CommentState.VISIBLE
        ).first()
    context.update(
        {
            "form": form,
            "reply_to": parent,
            "points": item.points.all(),
            "previous_item": session.items.filter(number__lt=item.number).last(),
            "next_item": session.items.filter(number__gt=item.number).first(),
        }
    )
    return render(request, "item_detail.html", context, status=status)


@require_GET
@login_required
def item_detail(request, slug, number, item_number):
    participant, session, item = _item_context(request, slug, number, item_number)
    initial = {}
    if (reply_to := _number(request.GET.get("reply_to"))) is not None:
        initial["parent"] = reply_to
    if (position := _number(request.GET.get("point"))) is not None:
        initial["point"] = item.points.filter(position=position).first()
    form = CommentForm(item=item, initial=initial)
    return _render_item(request, participant, session, item, form)


@require_GET
@login_required
def item_discussion(request, slug, number, item_number):
    """The discussion fragment that the item page polls."""
    etag = live_etag(request, slug, number)
    if etag is None:
        raise Http404
    if response := not_modified(request, etag):
        return response
    participant, session, item = _item_context(request, slug, number, item_number)
    context = _discussion_context(participant, session, item, etag=etag)
    response = render(request, "item_detail.html#discussion", context)
    return _live_headers(response, etag)


def _back_to_item(request, participant, session, item, anchor=""):
    """After a write: the fresh discussion for htmx, a redirect otherwise."""
    if request.htmx:
        etag = live_etag(request, participant.workshop.slug, session.number)
        context = _discussion_context(participant, session, item, etag=etag)
        return _live_headers(
            render(request, "item_detail.html#discussion", context), etag
        )
    url = reverse(
        "item_detail", args=[participant.workshop.slug, session.number, item.number]
    )
    return redirect(f"{url}{anchor}")


def _refused(request, participant, session, item, message):
    """A refused action: 400 with the reason, on the page or in the fragment."""
    if request.htmx:
        return render(
            request, "comment_error.html", {"messages": [message]}, status=400
        )
    form = CommentForm(item=item)
    return _render_item(
        request, participant, session, item, form, status=400, errors=[message]
    )


@require_POST
@login_required
def comment_create(request, slug, number, item_number):
    participant, session, item = _item_context(request, slug, number, item_number)
    form = CommentForm(request.POST, item=item)
    parent = None
    if form.is_valid() and form.cleaned_data["parent"]:
        parent = Comment.objects.filter(
            pk=form.cleaned_data["parent"],
            item__session__workshop_id=participant.workshop_id,
        ).first()
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
            )
        except CommentError as exc:
            form.add_error(None, exc.message)
    if not form.is_valid():
        if request.htmx:
            messages = [error for errors in form.errors.values() for error in errors]
            return render(
                request, "comment_error.html", {"messages": messages}, status=400
            )
        return _render_item(request, participant, session, item, form, status=400)
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
                "can_write": True,
                "oob": True,
            },
        )
        response.content += fresh.content
        return response
    return _back_to_item(request, participant, session, item, f"#comment-{comment.pk}")


def _comment_action(request, slug, comment_id):
    participant = selectors.participation_get(user=request.user, slug=slug)
    comment = selectors.comment_get(participant=participant, comment_id=comment_id)
    return participant, comment, comment.item.session, comment.item


def _comment_post_action(service, **extra):
    """A POST that applies one comment service, then shows the discussion."""

    @require_POST
    @login_required
    def view(request, slug, comment_id):
        participant, comment, session, item = _comment_action(request, slug, comment_id)
        arguments = {name: request.POST.get(name, "") for name in extra}
        try:
            service(participant=participant, comment=comment, **arguments)
        except CommentError as exc:
            return _refused(request, participant, session, item, exc.message)
        return _back_to_item(
            request, participant, session, item, f"#comment-{comment.pk}"
        )

    return view


comment_endorse = _comment_post_action(comment_services.comment_endorse)
comment_withdraw = _comment_post_action(comment_services.comment_withdraw)
comment_hide = _comment_post_action(comment_services.comment_hide, reason="")
comment_unhide = _comment_post_action(comment_services.comment_unhide)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=settings.COMMENT_MAX_LENGTH,
    )


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request, slug, comment_id):
    participant, comment, session, item = _comment_action(request, slug, comment_id)
    if comment.author_id != participant.pk:
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
                form.add_error(None, exc.message)
            else:
                return _back_to_item(
                    request, participant, session, item, f"#comment-{comment.pk}"
                )
        status = 400
    context = {
        "workshop": participant.workshop,
        "session": session,
        "item": item,
        "comment": comment,
        "form": form,
        "can_edit": comment_services.comment_can_edit(comment, participant),
    }
    return render(request, "comment_edit.html", context, status=status)
