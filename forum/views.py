"""Forum pages. Views only ask selectors/permissions and call services."""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import permissions as perms
from . import selectors, services, topic_page
from .forms import (
    EditForm,
    GrantForm,
    MoveForm,
    PreferenceForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    SearchForm,
    TopicForm,
)
from .models import ForumPreference, PostReport, PostRevision
from .rendering import quote_markdown
from .services import ForumError


def _fail(request, error: ForumError):
    if error.status == 404:
        raise Http404(error.message)
    messages.error(request, error.message)


def _attempt(request, call, *, done: str = "") -> bool:
    """Run a service ``call``: its refusal becomes the page's error message (404 raised), else
    ``done`` (if any) is shown. Whether it succeeded."""
    try:
        call()
    except ForumError as error:
        _fail(request, error)
        return False
    if done:
        messages.success(request, done)
    return True


@login_required
def forum_index(request):
    return render(
        request,
        "forum/forum_index.html",
        {
            "groups": selectors.forum_index(request.user),
            "search_form": SearchForm(),
            "is_moderator": selectors.is_moderator_anywhere(request.user),
        },
    )


@login_required
def forum_detail(request, slug):
    forum = selectors.forum_get_visible(request.user, slug)
    access = perms.forum_access(request.user, forum)
    page = selectors.topic_page(request.user, forum, request.GET.get("halaman"))
    return render(
        request,
        "forum/forum_detail.html",
        {
            "forum": forum,
            "access": access,
            "page": page,
            "can_manage_access": perms.can_manage_forum_access(request.user, forum),
        },
    )


@login_required
def topic_create(request, slug):
    forum = selectors.forum_get_visible(request.user, slug)
    access = perms.forum_access(request.user, forum)
    if not access.post:
        messages.error(request, _("Anda tidak berhak menulis di forum ini."))
        return redirect(forum)
    form = TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                forum=forum,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ForumError as error:
            _fail(request, error)
            form.add_error(error.field or None, error.message)
        else:
            if topic.is_approved:
                messages.success(request, _("Topik diterbitkan."))
            else:
                messages.info(request, _("Topik Anda menunggu persetujuan moderator."))
            return redirect(topic)
    return render(request, "forum/topic_form.html", {"forum": forum, "form": form})


def _topic_context(request, topic, access, version, reply_form=None):
    """The topic page: the posts every reader sees the same from the cache (forum.topic_page),
    the reader's controls, subscription, pending posts and read marker from one query."""
    user = request.user
    num_pages = max(math.ceil(topic.post_count / topic_page.POSTS_PER_PAGE), 1)
    number = selectors.page_number(request.GET.get("halaman"), num_pages)
    shared = topic_page.shared_page(topic, version, number, moderator=access.moderate)
    post_ids = [row[0] for row in shared.rows]
    state = topic_page.reader_state(user, topic, post_ids)
    can_reply = perms.can_reply_to_topic(access, topic)
    can_mark_answer = perms.can_mark_answer(user, access, topic)
    first_post_id = post_ids[0] if number == 1 and post_ids else None
    if reply_form is None and can_reply:
        initial = {}
        quote_id = request.GET.get("kutip")
        if quote_id and quote_id.isdigit() and int(quote_id) in post_ids:
            quoted = selectors.post_to_quote(topic, int(quote_id))
            if quoted is not None:
                label = f"@{quoted.author.username}"
                initial["body"] = quote_markdown(label, quoted.body_markdown)
        reply_form = ReplyForm(initial=initial)
    posts = topic_page.render_posts(
        request,
        topic,
        access,
        number,
        shared,
        state,
        can_reply=can_reply,
        can_mark_answer=can_mark_answer,
        first_post_id=first_post_id,
    )
    return {
        "forum": topic.forum,
        "topic": topic,
        "access": access,
        "page": selectors.Page(number, num_pages, post_ids),
        "posts": posts,
        "can_reply": can_reply,
        "reply_form": reply_form,
        "pending_posts": state.pending,
        "subscribed": state.subscribed,
        "reader_state": state,
    }


@login_required
def topic_detail(request, pk):
    topic, access, version = selectors.topic_get_visible_cached(request.user, pk)
    context = _topic_context(request, topic, access, version)
    if context["page"].number == context["page"].num_pages:
        state = context["reader_state"]
        services.topic_mark_read(
            user=request.user, topic=topic, read_at=state.read_at if state.has_marker else None
        )
    return render(request, "forum/topic_detail.html", context)


@login_required
@require_POST
def topic_reply(request, pk):
    topic, access = selectors.topic_get_visible(request.user, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            post = services.post_create(
                topic=topic, author=request.user, body=form.cleaned_data["body"]
            )
        except ForumError as error:
            _fail(request, error)
            form.add_error("body", error.message)
        else:
            if post.status == post.Status.PENDING:
                messages.info(request, _("Balasan Anda menunggu persetujuan moderator."))
                return redirect(topic)
            return redirect(post)
    topic, access, version = selectors.topic_get_visible_cached(request.user, pk)
    context = _topic_context(request, topic, access, version, reply_form=form)
    return render(request, "forum/topic_detail.html", context, status=400)


@login_required
def post_goto(request, pk):
    post, _access = selectors.post_get_visible(request.user, pk)
    number = selectors.post_page_number(post)
    suffix = f"?halaman={number}" if number > 1 else ""
    return redirect(f"{post.topic.get_absolute_url()}{suffix}#p{post.pk}")


@login_required
def post_edit(request, pk):
    post, access = selectors.post_get_visible(request.user, pk)
    if not perms.can_edit_post(request.user, access, post):
        messages.error(request, _("Anda tidak dapat mengubah pesan ini."))
        return redirect(post)
    form = EditForm(request.POST or None, initial={"body": post.body_markdown})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, editor=request.user, body=form.cleaned_data["body"])
        except ForumError as error:
            _fail(request, error)
            form.add_error("body", error.message)
        else:
            messages.success(request, _("Pesan diperbarui."))
            return redirect(post)
    return render(request, "forum/post_edit.html", {"post": post, "form": form})


@login_required
def post_history(request, pk):
    post, access = selectors.post_get_visible(request.user, pk)
    if post.is_hidden and not access.moderate:
        raise Http404
    revisions = PostRevision.objects.filter(post=post).select_related("edited_by")
    return render(request, "forum/post_history.html", {"post": post, "revisions": revisions})


@login_required
@require_POST
def post_delete(request, pk):
    post, _access = selectors.post_get_visible(request.user, pk)
    try:
        topic = services.post_delete(post=post, user=request.user)
    except ForumError as error:
        _fail(request, error)
        return redirect(post)
    messages.success(request, _("Pesan dihapus."))
    return redirect(topic if topic is not None else post.topic.forum)


@login_required
@require_POST
def post_thanks(request, pk):
    post, _access = selectors.post_get_visible(request.user, pk)
    _attempt(request, lambda: services.reaction_toggle(post=post, user=request.user))
    return redirect(post)


@login_required
@require_POST
def post_mark_answer(request, pk):
    post, _access = selectors.post_get_visible(request.user, pk)
    topic = post.topic
    unmark = topic.answer_id == post.pk
    _attempt(
        request,
        lambda: services.topic_mark_answer(
            topic=topic, post=None if unmark else post, user=request.user
        ),
        done=_("Tanda jawaban dilepas.") if unmark else _("Ditandai sebagai jawaban."),
    )
    return redirect(post)


def _reason_page(request, post, form_class, template: str, act, *, done: str):
    """A page of ``post`` with a reason form (report, hide): on a valid POST ``act(reason)``,
    then back to the post."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _attempt(request, lambda: act(form.cleaned_data["reason"]), done=done)
        return redirect(post)
    return render(request, template, {"post": post, "form": form})


@login_required
def post_report(request, pk):
    post, _access = selectors.post_get_visible(request.user, pk)
    return _reason_page(
        request,
        post,
        ReportForm,
        "forum/post_report.html",
        lambda reason: services.post_report(post=post, reporter=request.user, reason=reason),
        done=_("Terima kasih, laporan Anda diteruskan ke moderator."),
    )


@login_required
def post_hide(request, pk):
    post, access = selectors.post_get_visible(request.user, pk)
    if not access.moderate:
        raise Http404
    return _reason_page(
        request,
        post,
        ReasonForm,
        "forum/post_hide.html",
        lambda reason: services.post_hide(post=post, moderator=request.user, reason=reason),
        done=_("Pesan disembunyikan."),
    )


@login_required
@require_POST
def post_unhide(request, pk):
    post, _access = selectors.post_get_visible(request.user, pk)
    _attempt(request, lambda: services.post_unhide(post=post, moderator=request.user))
    return redirect(post)


@login_required
@require_POST
def post_moderate(request, pk):
    post, access = selectors.post_get_visible(request.user, pk)
    if request.POST.get("keputusan") == "setujui":
        _attempt(
            request,
            lambda: services.post_approve(post=post, moderator=request.user),
            done=_("Pesan disetujui dan diterbitkan."),
        )
    else:
        _attempt(
            request,
            lambda: services.post_reject(post=post, moderator=request.user),
            done=_("Pesan ditolak."),
        )
    return redirect("forum:moderation")


@login_required
@require_POST
def topic_toggle(request, pk, action):
    topic, _access = selectors.topic_get_visible(request.user, pk)
    try:
        if action == "kunci":
            services.topic_set_locked(
                topic=topic, moderator=request.user, locked=not topic.is_locked
            )
        elif action == "sematkan":
            services.topic_set_pinned(
                topic=topic, moderator=request.user, pinned=not topic.is_pinned
            )
        elif action == "ikuti":
            subscribed = selectors.is_subscribed(request.user, topic)
            services.subscription_set(user=request.user, topic=topic, subscribed=not subscribed)
        else:
            raise Http404
    except ForumError as error:
        _fail(request, error)
    return redirect(topic)


@login_required
def topic_move(request, pk):
    topic, access = selectors.topic_get_visible(request.user, pk)
    if not access.moderate:
        raise Http404
    form = MoveForm(request.POST or None, targets=selectors.move_targets(request.user, topic))
    if request.method == "POST" and form.is_valid():
        moved = _attempt(
            request,
            lambda: services.topic_move(
                topic=topic, moderator=request.user, target=form.cleaned_data["target"]
            ),
            done=_("Topik dipindahkan."),
        )
        if moved:
            return redirect(topic)
    return render(request, "forum/topic_move.html", {"topic": topic, "form": form})


@login_required
def moderation_queue(request):
    if not selectors.is_moderator_anywhere(request.user):
        raise Http404
    return render(request, "forum/moderation_queue.html", selectors.moderation_queue(request.user))


@login_required
@require_POST
def report_resolve(request, pk):
    report = get_object_or_404(PostReport.objects.select_related("post__topic__forum"), pk=pk)
    _attempt(
        request,
        lambda: services.report_resolve(
            report=report, moderator=request.user, resolution=request.POST.get("tindakan", "")
        ),
        done=_("Laporan ditandai selesai."),
    )
    return redirect("forum:moderation")


@login_required
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = selectors.search_posts(request.user, form.cleaned_data["q"])
    return render(
        request,
        "forum/search.html",
        {"form": form, "results": results, "query": request.GET.get("q", "")},
    )


@login_required
def preferences(request):
    pref = ForumPreference.objects.filter(user=request.user).first()
    current = pref.email_mode if pref else ForumPreference.EmailMode.INSTANT
    form = PreferenceForm(request.POST or None, initial={"email_mode": current})
    if request.method == "POST" and form.is_valid():
        services.preference_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
        messages.success(request, _("Pilihan e-mail forum disimpan."))
        return redirect("forum:preferences")
    return render(request, "forum/preferences.html", {"form": form})


@login_required
def forum_access(request, slug):
    from .models import Forum

    forum = get_object_or_404(Forum.objects.select_related("category"), slug=slug)
    if not perms.can_manage_forum_access(request.user, forum):
        raise Http404  # the page itself; the grant and revoke are decided by the services
    form = GrantForm(request.POST or None)
    if request.method == "POST" and request.POST.get("cabut"):
        kind, target_id, codename = (request.POST["cabut"].split(":") + ["", "", ""])[:3]
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group

        model = Group if kind == "g" else get_user_model()
        target = model.objects.filter(pk=target_id if target_id.isdigit() else 0).first()
        if target is not None and codename in perms.VIEW_CODES:
            key = "group" if kind == "g" else "user"
            services.forum_revoke(
                actor=request.user, forum=forum, codename=codename, **{key: target}
            )
            messages.success(request, _("Izin dicabut."))
        return redirect("forum:forum_access", slug=forum.slug)
    if request.method == "POST" and form.is_valid():
        services.forum_grant(
            actor=request.user,
            forum=forum,
            codename=form.cleaned_data["codename"],
            group=form.cleaned_data.get("group"),
            user=form.cleaned_data.get("user_obj"),
        )
        messages.success(request, _("Izin diberikan."))
        return redirect("forum:forum_access", slug=forum.slug)
    return render(
        request,
        "forum/forum_access.html",
        {"forum": forum, "form": form, **selectors.forum_grants(forum)},
    )
