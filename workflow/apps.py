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
        from kompetensi.signals import profile_recomputed

        profile_recomputed.connect(
            _on_profile_recomputed, dispatch_uid="workflow.close_needs_on_profile"
        )
        from . import feedback_needs  # noqa: F401  connects the SKM feedback → need receiver

        try:
            from kompetensi.extensions import summary_providers
        except ImportError:  # the kompetensi engineer adds the registry
            return
        from .selectors import employee_summary

        if employee_summary not in summary_providers:
            summary_providers.append(employee_summary)
