"""Who may see, write in and moderate a forum: the one place that decides.

Rules (each is one line below, so coverage shows every branch):
- anonymous and inactive users: nothing;
- a superuser: everything;
- a public forum: every logged-in user may view and post;
- a private forum: only users holding ``view_forum`` / ``post_in_forum`` / ``moderate_forum``
  on it (directly or through a group; guardian's tables), posting needs ``post_in_forum``;
- moderators: holders of ``moderate_forum``, the trainers and the owner of the forum's module,
  and HR (BKPSDM) for general public forums (not tied to a module);
- moderating implies posting, posting implies viewing.

List rules are querysets built from subqueries (one query per list, no per-object checks)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.permissions import is_hr
from kompetensi.permissions import has_hr_authority
from portal.models import TrainingModulePage

from .models import Forum, ForumGroupObjectPermission, ForumUserObjectPermission, Post, Topic

VIEW = "view_forum"
POST = "post_in_forum"
MODERATE = "moderate_forum"
VIEW_CODES = (VIEW, POST, MODERATE)
POST_CODES = (POST, MODERATE)
EDIT_WINDOW_SECONDS = 15 * 60


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _granted_forum_ids(user, codenames) -> Q:
    """Forums on which the user holds one of ``codenames``, directly or via a group."""
    direct = ForumUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename__in=codenames
    ).values("content_object_id")
    via_group = ForumGroupObjectPermission.objects.filter(
        group__user=user.pk, permission__codename__in=codenames
    ).values("content_object_id")
    return Q(pk__in=direct) | Q(pk__in=via_group)


def _module_staff_q(user) -> Q:
    """Forums of modules the user trains or owns."""
    through = TrainingModulePage.trainers.through
    trained = through.objects.filter(user_id=user.pk).values("trainingmodulepage_id")
    return Q(module_id__in=trained) | Q(module__owner_id=user.pk)


def _moderator_q(user) -> Q:
    q = _granted_forum_ids(user, [MODERATE]) | _module_staff_q(user)
    if is_hr(user):
        q |= Q(module__isnull=True, is_public=True)
    return q


# Access data is never cached across requests: the id sets are computed once per request from
# one query and memoised on the request's user object. A write in this process that can change
# anyone's access (a forum, a grant, a group membership, a module's trainers or owner) moves
# ``_generation`` (receivers in forum/signals.py), so a memo made before it is not used after.
_MEMO = "_sikap_forum_access"
_generation = 0


def forget_forum_access() -> None:
    """Memos made before now are stale (connected to the writes that change access)."""
    global _generation
    _generation += 1


def _access_ids(user) -> dict[str, frozenset[int]]:
    """Ids of the forums ``user`` may view / post in / moderate, by the rules above, evaluated
    from one query and memoised on ``user`` for the request: lists, the topic page and the home
    page then filter by plain ids instead of compiling the rules on each call. The rules are
    applied in Python to the rows of ``_access_rows`` (the same rules as the querysets' ``Q``
    objects above; tests/forum/test_permissions.py checks that both agree)."""
    memo = user.__dict__.get(_MEMO)
    if memo is not None and memo[0] == _generation:
        return memo[1]
    generation = _generation
    forums, granted, trained = _access_rows(user)
    hr = is_hr(user)
    view, post, moderate = set(), set(), set()
    for pk, is_public, module_id, owner_id in forums:
        codes = granted.get(pk, frozenset())
        can_moderate = (
            MODERATE in codes
            or (module_id is not None and (module_id in trained or owner_id == user.pk))
            or (hr and module_id is None and bool(is_public))
        )
        can_post = can_moderate or bool(is_public) or not codes.isdisjoint(POST_CODES)
        can_view = can_post or not codes.isdisjoint(VIEW_CODES)
        if can_moderate:
            moderate.add(pk)
        if can_post:
            post.add(pk)
        if can_view:
            view.add(pk)
    ids = {"view": frozenset(view), "post": frozenset(post), "moderate": frozenset(moderate)}
    user.__dict__[_MEMO] = (generation, ids)
    return ids


def _access_rows(user):
    """What the rules read for ``user``, in one query (building the rules' querysets cost
    ~4 ms in the ORM, the SQL itself 0.1 ms; it runs once per request): every forum (public?, module, module owner), the user's
    grants directly and through groups ({forum: codenames}) and the modules they train."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db import connection
    from wagtail.models import Page

    qn = connection.ops.quote_name
    user_groups = get_user_model().groups.through
    trainers = TrainingModulePage.trainers.through
    sql = (
        f"SELECT 'f', f.id, f.is_public, f.module_id, p.owner_id, NULL"
        f" FROM {qn(Forum._meta.db_table)} f"
        f" LEFT JOIN {qn(Page._meta.db_table)} p ON p.id = f.module_id"
        f" UNION ALL SELECT 'g', o.content_object_id, NULL, NULL, NULL, perm.codename"
        f" FROM {qn(ForumUserObjectPermission._meta.db_table)} o"
        f" JOIN {qn(Permission._meta.db_table)} perm ON perm.id = o.permission_id"
        f" WHERE o.user_id = %s"
        f" UNION ALL SELECT 'g', o.content_object_id, NULL, NULL, NULL, perm.codename"
        f" FROM {qn(ForumGroupObjectPermission._meta.db_table)} o"
        f" JOIN {qn(Permission._meta.db_table)} perm ON perm.id = o.permission_id"
        f" JOIN {qn(user_groups._meta.db_table)} ug"
        f" ON ug.{qn(user_groups._meta.get_field('group').column)} = o.group_id"
        f" WHERE ug.{qn(user_groups._meta.get_field('user').column)} = %s"
        f" UNION ALL SELECT 't', t.{qn(trainers._meta.get_field('trainingmodulepage').column)},"
        f" NULL, NULL, NULL, NULL FROM {qn(trainers._meta.db_table)} t"
        f" WHERE t.{qn(trainers._meta.get_field('user').column)} = %s"
    )
    forums, granted, trained = [], {}, set()
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk, user.pk])
        for kind, pk, is_public, module_id, owner_id, codename in cursor.fetchall():
            if kind == "f":
                forums.append((pk, is_public, module_id, owner_id))
            elif kind == "g":
                granted.setdefault(pk, set()).add(codename)
            else:
                trained.add(pk)
    return forums, granted, trained


def visible_forum_ids(user) -> list[int]:
    return sorted(_access_ids(user)["view"])


def forums_visible_to(user) -> QuerySet[Forum]:
    if not _active(user):
        return Forum.objects.none()
    if user.is_superuser:
        return Forum.objects.all()
    return Forum.objects.filter(pk__in=visible_forum_ids(user))


def forums_moderated_by(user) -> QuerySet[Forum]:
    if not _active(user):
        return Forum.objects.none()
    if user.is_superuser:
        return Forum.objects.all()
    return Forum.objects.filter(_moderator_q(user))


@dataclass(frozen=True)
class ForumAccess:
    view: bool = False
    post: bool = False
    moderate: bool = False


NO_ACCESS = ForumAccess()


def forum_access(user, forum: Forum) -> ForumAccess:
    """The three flags for one forum (from the request's id sets: one query per request)."""
    if not _active(user):
        return NO_ACCESS
    if user.is_superuser:
        return ForumAccess(True, True, True)
    ids = _access_ids(user)
    return ForumAccess(
        view=forum.pk in ids["view"],
        post=forum.pk in ids["post"],
        moderate=forum.pk in ids["moderate"],
    )


def can_reply_to_topic(access: ForumAccess, topic: Topic) -> bool:
    if not access.post:
        return False
    if topic.is_locked:
        return False
    return topic.is_approved or access.moderate


def can_edit_post(user, access: ForumAccess, post: Post) -> bool:
    if access.moderate:
        return True
    if not access.post:
        return False
    if post.author_id != user.pk:
        return False
    return not post.is_hidden and not post.topic.is_locked


def can_delete_post(user, access: ForumAccess, post: Post, now) -> bool:
    """Authors delete their own post within 15 minutes (moderators hide instead)."""
    if not access.view:
        return False
    if post.author_id != user.pk:
        return False
    return (now - post.created_at).total_seconds() <= EDIT_WINDOW_SECONDS


def can_mark_answer(user, access: ForumAccess, topic: Topic) -> bool:
    if not topic.forum.is_qa:
        return False
    if access.moderate:
        return True
    return access.view and topic.author_id == user.pk


def user_ids_who_can_view(forum: Forum, user_ids) -> set[int]:
    """Of ``user_ids``, those who may read ``forum`` (one query)."""
    from django.contrib.auth import get_user_model

    ids = set(user_ids)
    if not ids:
        return set()
    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    if forum.is_public:
        return set(users.values_list("pk", flat=True))
    through = TrainingModulePage.trainers.through
    direct = ForumUserObjectPermission.objects.filter(
        content_object_id=forum.pk, permission__codename__in=VIEW_CODES
    ).values("user_id")
    via_group = ForumGroupObjectPermission.objects.filter(
        content_object_id=forum.pk, permission__codename__in=VIEW_CODES
    ).values("group__user")
    q = Q(is_superuser=True) | Q(pk__in=direct) | Q(pk__in=via_group)
    if forum.module_id:
        q |= Q(
            pk__in=through.objects.filter(trainingmodulepage_id=forum.module_id).values("user_id")
        )
        q |= Q(pk__in=TrainingModulePage.objects.filter(pk=forum.module_id).values("owner_id"))
    return set(users.filter(q).values_list("pk", flat=True))


def can_manage_forum_access(user, forum: Forum) -> bool:
    """Granting view/post/moderate on a forum: HR (BKPSDM) with an HR scope, and superusers."""
    if not _active(user):
        return False
    return bool(user.is_superuser or has_hr_authority(user))
