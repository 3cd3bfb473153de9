"""Site-wide role checks (defined in kompetensi.roles). App rules live in each permissions.py."""

from kompetensi.roles import (  # noqa: F401
    GROUP_ASN,
    GROUP_HR,
    GROUP_REVIEWER,
    GROUP_TRAINER,
    in_group,
    is_hr,
    is_reviewer,
    is_trainer,
)
