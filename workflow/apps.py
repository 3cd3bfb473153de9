from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_profile_recomputed(sender, employee_ids=None, period_id=None, **kwargs) -> None:
    from .services import needs_close_for_profiles

    if employee_ids:
        needs_close_for_profiles(employee_ids=employee_ids, period_id=period_id)


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Pengembangan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import hooks
        from kompetensi.signals import profile_recomputed

        profile_recomputed.connect(
            _on_profile_recomputed, dispatch_uid="workflow.close_needs_on_profile"
        )
        from . import (
            feedback_needs,  # noqa: F401  connects the SKM feedback → need receiver
            receivers,
        )

        receivers.connect()  # cache versions (core/dataversion.py)
        from .certificates import pdf  # noqa: F401  registers the certificate's stylesheets
        from .selectors import assignment_status_for_module, employee_summary, learner_home

        # What lower apps' pages show of the workflow (core/hooks.py).
        hooks.register(hooks.HOME_LEARNER, learner_home)
        hooks.register(hooks.MODULE_ASSIGNMENT_STATUS, assignment_status_for_module)
        hooks.register(hooks.EMPLOYEE_SUMMARY, employee_summary)
        from .team import team_training

        hooks.register(hooks.TEAM_TRAINING, team_training)
        from .home import hr_home_panels

        hooks.register(hooks.HOME_PANELS, hr_home_panels)
