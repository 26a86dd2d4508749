"""Reads that several callers share, one module per noun; each read that a
person asks for enforces who may see what (a stranger gets 404)."""
