"""The permission matrix: role × forum (public/private) × action (view/post/moderate).

Every cell is checked up to three ways that must agree: the single-object check
(``forum_access``), the list queryset where the rules have one (``forums_visible_to``,
``forums_moderated_by``; one query) and the page (200 or 404)."""

import pytest

from core.roles import SYSTEM
from forum import permissions as perms

MATRIX = {
    # role: {forum kind: (view, post, moderate)}
    "anonymous": {"public": (False, False, False), "private": (False, False, False)},
    "asn": {"public": (True, True, False), "private": (True, True, False)},
    "other": {"public": (True, True, False), "private": (False, False, False)},
    "moderator": {"public": (True, True, True), "private": (True, True, True)},
    "trainer": {"public": (True, True, False), "private": (False, False, False)},
    "hr": {"public": (True, True, True), "private": (False, False, False)},
}
ACTIONS = ("view", "post", "moderate")
CASES = [
    pytest.param(role, kind, action, MATRIX[role][kind][i], id=f"{role}-{kind}-{action}")
    for role in MATRIX
    for kind in ("public", "private")
    for i, action in enumerate(ACTIONS)
]


def _annotate_access(qs, user):
    """The rules as querysets (the oracle for ``forum_access``): ``_view``, ``_post`` and
    ``_moderate`` per forum, from the permissions module's ``Q`` objects."""
    from django.db.models import BooleanField, Case, Q, Value, When

    def flag(q: Q):
        return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())

    return qs.annotate(
        _view=flag(Q(is_public=True) | perms._granted_forum_ids(user, perms.VIEW_CODES)),
        _post=flag(Q(is_public=True) | perms._granted_forum_ids(user, perms.POST_CODES)),
        _moderate=flag(perms._moderator_q(user)),
    )


@pytest.mark.parametrize(("role", "kind", "action", "allowed"), CASES)
def test_permission_matrix(forum_world, client, role, kind, action, allowed):
    user = getattr(forum_world, role)
    forum = getattr(forum_world, kind)

    access = perms.forum_access(user, forum)
    assert getattr(access, action) is allowed

    listing = {"view": perms.forums_visible_to, "moderate": perms.forums_moderated_by}.get(action)
    if listing is not None:
        assert listing(user).filter(pk=forum.pk).exists() is allowed

    if action == "view":
        if user is not None:
            client.force_login(user)
        response = client.get(f"/forum/{forum.slug}/")
        if user is None:
            assert response.status_code == 302  # to the login page
        else:
            assert response.status_code == (200 if allowed else 404)


def test_module_trainer_and_owner_moderate_that_module_forum_only(
    forum_world, module_page, make_user
):
    trainer = forum_world.trainer
    page = module_page(trainers=[trainer])
    other_page = module_page(title="Manajemen ASN", slug="manajemen-asn")
    forum = page.forum
    assert forum.is_public and forum.is_qa
    assert perms.forum_access(trainer, forum).moderate
    assert not perms.forum_access(trainer, other_page.forum).moderate
    assert not perms.forum_access(forum_world.hr, forum).moderate  # HR moderates general forums
    owner = make_user("pemilik", "Pelatih")
    other_page.owner = owner
    other_page.save()
    assert perms.forum_access(owner, other_page.forum).moderate
    assert set(perms.forums_moderated_by(trainer)) == {forum}


def test_private_forum_topics_404_and_never_listed(forum_world, client, make_user):
    from forum import services

    topic = services.topic_create(
        forum=forum_world.private, author=forum_world.asn, title="Rapat internal", body="Isi"
    )
    client.force_login(forum_world.other)
    assert client.get(f"/forum/topik/{topic.pk}/").status_code == 404
    assert client.get(f"/forum/pesan/{topic.first_post.pk}/").status_code == 404
    index = client.get("/forum/").content.decode()
    assert "Ruang Unit A" not in index
    search = client.get("/forum/cari/", {"q": "Rapat internal"}).content.decode()
    assert f"/forum/pesan/{topic.first_post.pk}/" not in search
    assert "0 hasil" in search
    client.force_login(forum_world.asn)
    assert client.get(f"/forum/topik/{topic.pk}/").status_code == 200
    found = client.get("/forum/cari/", {"q": "Rapat"}).content.decode()
    assert f"/forum/pesan/{topic.first_post.pk}/" in found


def test_inactive_user_sees_nothing(forum_world):
    user = forum_world.asn
    user.is_active = False
    user.save()
    assert not perms.forums_visible_to(user).exists()


def test_hr_grants_and_revokes_access_on_the_site(forum_world, client, groups):
    other = forum_world.other
    client.force_login(other)
    assert client.get("/forum/unit-a/akses/").status_code == 404
    assert client.get("/forum/unit-a/").status_code == 404
    client.force_login(forum_world.hr)
    page = client.get("/forum/unit-a/akses/")
    assert page.status_code == 200 and "Forum Unit A" in page.content.decode()
    response = client.post(
        "/forum/unit-a/akses/", {"codename": "view_forum", "user": other.username}
    )
    assert response.status_code == 302
    assert perms.forum_access(other, forum_world.private).view
    assert not perms.forum_access(other, forum_world.private).post
    client.post("/forum/unit-a/akses/", {"cabut": f"u:{other.pk}:view_forum"})
    assert not perms.forum_access(other, forum_world.private).view
    # Both or neither of group/user: a clear message, nothing written.
    response = client.post("/forum/unit-a/akses/", {"codename": "view_forum"})
    assert "Pilih satu grup atau isi satu pengguna" in response.content.decode()
    response = client.post("/forum/unit-a/akses/", {"codename": "view_forum", "user": "tidak-ada"})
    assert "tidak ditemukan" in response.content.decode()


def test_cached_access_ids_follow_the_queryset_rules(forum_world, module_page, make_user):
    """``forum_access`` (rules applied in Python to one query's rows) agrees with the rules'
    querysets (:func:`_annotate_access`) for every role, on general, private and module
    forums."""
    from django.contrib.auth.models import Group
    from django.db.models import Q

    from forum import services
    from forum.models import Forum

    world = forum_world
    owner = make_user("pemilik", "Pelatih")
    trained = module_page(trainers=[world.trainer])
    owned = module_page(title="Manajemen ASN", slug="manajemen-asn")
    owned.owner = owner
    owned.save()
    reviewers = Group.objects.create(name="Peninjau forum")
    reviewers.user_set.add(world.other)
    services.forum_grant(actor=SYSTEM, forum=world.private, codename="view_forum", group=reviewers)
    services.forum_grant(
        actor=SYSTEM, forum=trained.forum, codename="moderate_forum", group=reviewers
    )
    services.forum_grant(actor=SYSTEM, forum=world.private, codename="post_in_forum", user=owner)
    superuser = make_user("super", is_superuser=True)
    users = [world.asn, world.other, world.moderator, world.trainer, world.hr, owner, superuser]
    for user in users:
        rows = (
            _annotate_access(Forum.objects.all(), user)
            .filter(Q(_view=True) | Q(_post=True) | Q(_moderate=True))
            .values_list("pk", "_view", "_post", "_moderate")
        )
        expected = {"view": set(), "post": set(), "moderate": set()}
        for pk, _view, post, moderate in rows:
            if moderate:
                expected["moderate"].add(pk)
            if moderate or post:
                expected["post"].add(pk)
            expected["view"].add(pk)
        assert {k: set(v) for k, v in perms._access_ids(user).items()} == expected, user
    assert trained.forum.pk in perms._access_ids(world.other)["moderate"]
    assert owned.forum.pk in perms._access_ids(owner)["moderate"]
    assert world.private.pk in perms._access_ids(world.other)["view"]
    assert world.private.pk not in perms._access_ids(world.other)["post"]
