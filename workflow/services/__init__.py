"""Writes of the workflow app: needs, recommendations, the assignment state machine, learning
events, certificates, reminders. Every state change of an Assignment happens here.

States (ARCHITECTURE.md): recommended → assigned → in_progress → completed → certified;
any open state → cancelled; recommended → withdrawn when a later evaluation closed the gap
(``needs_close_for_profiles``; a withdrawn recommendation can no longer be approved);
"overdue" is derived (open and past its due date).

One module per subject (``common``, ``recommendation``, ``assignments``, ``completion``,
``certificates``, ``reminders``), everything re-exported here: callers keep
``from workflow import services; services.assignment_approve(...)``."""

from .assignments import (  # noqa: F401
    _as_user,
    _bulk_selection,
    _complete_if_done,
    _locked,
    _notify_assigned,
    _reopen_needs,
    _validate_due,
    assignment_approve,
    assignment_approve_bulk,
    assignment_cancel,
    assignment_cancel_bulk,
    assignment_complete,
    assignment_create,
    assignment_start,
    assignment_update,
)
from .certificates import (  # noqa: F401
    _certificate_render_locked,
    certificate_context,
    certificate_follow_up,
    certificate_issue,
    certificate_pdf_file,
    certificate_reissue,
    certificate_render,
    certificate_revoke,
    verify_url,
)
from .common import (  # noqa: F401
    ACTIVE_STATES,
    DONE_STATES,
    HR_ONLY,
    NOT_FOUND,
    OPEN_STATES,
    RECENT_COMPLETION,
    TRANSITIONS,
    NotAllowed,
    NotFound,
    S,
    TransitionError,
    WorkflowError,
    _check,
    jakarta_now,
    jakarta_today,
    logger,
    managed_assignment,
    managed_certificate,
    managed_employee,
    require,
    require_hr,
    require_hr_over,
)
from .completion import (  # noqa: F401
    _after_event,
    _employee_of,
    _learning_assignment,
    _lesson_module,
    lesson_complete,
    module_enrol,
    quiz_submit,
)
from .recommendation import (  # noqa: F401
    ModuleCandidate,
    RecommendResult,
    _module_model,
    _recent_completions,
    match_module,
    module_index,
    need_dismiss,
    needs_close_for_profiles,
    period_recommend,
)
from .reminders import (  # noqa: F401
    SWEEP_BATCH,
    SWEEP_EMAIL_WINDOW,
    SWEEP_MIN_AGE,
    SWEEP_REQUEUE_AFTER,
    SweepResult,
    _not_recently_queued,
    certificates_check_expiry,
    follow_ups_sweep,
    reminder_kind,
    reminders_send,
)
