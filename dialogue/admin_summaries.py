"""Admin for summaries (registered by dialogue.admin)."""
