"""Business rules: every write goes through a function in this package.

One module per noun (sessions, comments, rankings, measures, summaries,
accounts). Functions are named <entity>_<action>, take keyword-only
arguments, check `dialogue.permissions` themselves, validate before writing,
and wrap multi-row writes in one transaction. Import them from their module:
`from dialogue.services.sessions import session_set_phase`.
"""
