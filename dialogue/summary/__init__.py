"""Session summaries: built once as plain data, then rendered to each format.

* ``document``: the SummaryDocument dataclasses (pure: no models);
* ``attribution``: how each confidentiality mode names people;
* ``build`` (with ``build_header``, ``build_discussion``, ``build_ranking``,
  ``build_measures``, ``build_packages``, ``build_findings``): a session ->
  its document;
* ``render``: the document -> Markdown, DOCX, PDF, and the one table of
  formats (``RENDERERS``).

Requesting, compiling and storing reports is ``dialogue.services.summaries``.
"""

import logging

# WeasyPrint logs every stylesheet it parses (three when it is imported) and
# every page it lays out at INFO; a worker's log needs none of it. Set here,
# before render/pdf.py imports WeasyPrint.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
