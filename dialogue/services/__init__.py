"""Business rules: every write goes through a function in this package.

One module per noun (workshops, comments, rankings, measures, summaries).
Functions are named <entity>_<action>, take keyword-only arguments, validate
before writing, and wrap multi-row writes in one transaction.
"""

from dialogue.services.workshops import (
    PhaseError,
    session_set_phase,
    session_touch,
)

__all__ = [
    "PhaseError",
    "session_set_phase",
    "session_touch",
]
