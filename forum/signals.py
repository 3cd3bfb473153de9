"""Signal receivers (connected in ``ForumConfig.ready``); they only call services."""


def module_published(sender, instance, **kwargs) -> None:
    """Every published training module gets its discussion forum."""
    from portal.models import TrainingModulePage

    page = getattr(instance, "specific", instance)
    if not isinstance(page, TrainingModulePage):
        return
    from .services import forum_ensure_for_module

    forum_ensure_for_module(module=page)


def connect_cache_versions() -> None:
    """Cache versions (core/dataversion.py): one forum, category, topic or post saved (a
    service's save()/create(), the Wagtail admin) bumps what reads it. Posts are deleted with
    their topic in bulk, revisions and reactions only by the services: those bump themselves
    (forum/services.py)."""
    from core import dataversion as dv

    from .models import Category, Forum, Post, Topic

    for model in (Category, Forum):
        dv.watch_model(model, "forums", "forum-topics", "topic")
    dv.watch_model(Topic, "forum-topics", scopes=lambda t: dv.for_topic(t.pk), delete=False)
    dv.watch_model(Post, scopes=_post_topic, delete=False)
    _connect_access_memo()


def _connect_access_memo() -> None:
    """Writes that can change anyone's forum access make the access memos of this process stale
    (forum/permissions.py: memoised per request, never cached across requests)."""
    from django.contrib.auth import get_user_model
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from portal.models import TrainingModulePage

    from .models import Forum, ForumGroupObjectPermission, ForumUserObjectPermission
    from .permissions import forget_forum_access

    def forget(sender=None, **kwargs) -> None:
        forget_forum_access()

    for model in (Forum, ForumUserObjectPermission, ForumGroupObjectPermission, TrainingModulePage):
        for signal in (post_save, post_delete):
            signal.connect(forget, sender=model, weak=False, dispatch_uid=f"forum-access:{model}")
    for through in (get_user_model().groups.through, TrainingModulePage.trainers.through):
        m2m_changed.connect(
            forget, sender=through, weak=False, dispatch_uid=f"forum-access:{through}"
        )


def _post_topic(post) -> tuple[str, ...]:
    from core import dataversion as dv

    topic_id = post.__dict__.get("topic_id")
    return dv.for_topic(topic_id) if topic_id is not None else ("topic",)
