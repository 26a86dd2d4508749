"""Business rules for measures (to be filled in by its issue)."""


def on_session_phase_change(*, session, old: str, new: str, by) -> None:
    """Called inside session_set_phase's transaction after the phase moved."""
