"""Signal receivers (connected in ``ForumConfig.ready``); they only call services."""


def module_published(sender, instance, **kwargs) -> None:
    """Every published training module gets its discussion forum."""
    from portal.models import TrainingModulePage

    page = getattr(instance, "specific", instance)
    if not isinstance(page, TrainingModulePage):
        return
    from .services import forum_ensure_for_module

    forum_ensure_for_module(module=page)
