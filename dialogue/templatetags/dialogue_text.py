from django import template

from dialogue import report_text
from dialogue.user_text import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown(value: str):
    """User text as safe HTML (markdown-it safe preset, then nh3)."""
    return render_markdown(value)


@register.filter(name="cited_markdown")
def cited_markdown(value: str, links):
    """The rapporteur's text as safe HTML, each citation ``[#c123]`` a link
    to the remark (`links`: {comment id: its permalink}); a citation of a
    remark not in `links` stays as written. The links are the app's own
    URLs, and the whole text still passes `render_markdown`."""
    links = links or {}

    def link(match):
        number = int(match.group(1))
        if number not in links:
            return match.group(0)
        return f"[\\[#c{number}\\]]({links[number]})"

    return render_markdown(report_text.CITATION.sub(link, value or ""))
