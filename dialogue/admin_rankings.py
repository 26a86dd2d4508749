"""Admin for rankings (registered by dialogue.admin)."""
