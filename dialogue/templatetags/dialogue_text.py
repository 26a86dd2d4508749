from django import template

from dialogue.user_text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown(value: str):
    """User text as safe HTML (markdown-it safe preset, then nh3)."""
    return render_markdown(value)
