"""Admin for measures (registered by dialogue.admin)."""
