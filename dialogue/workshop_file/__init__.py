"""The workshop file: a whole workshop as one JSON document, in and out.

Pure modules, importable without Django's database or the models:
  spec            the frozen dataclasses a file becomes, FORMAT_VERSION and
                  WorkshopFileError
  parse           decode and validate the workshop, sessions and items
  parse_measures  validate the optional "measures" key
  parse_links     validate the optional "links" key
  parse_responses validate the optional "response_round" and "responses" keys
  parse_packages  validate the optional "packages" key
  parse_reports   validate the optional "report_drafts" key
  collector       the walk that records every problem instead of stopping
  dump            the canonical JSON text

Database modules, beside them:
  importer        workshop_import: write a validated spec, in one transaction
  exporter        workshop_export: read a workshop into the file's dict
  measure_keys    how measures are keyed in the file, shared by both
  rows            ImportResult and the write-only-what-differs helpers
  link_rows       the links, written by the import
  response_rows   the response round, read for the export and written by
                  the import (the organiser's full backup: drafts included)
  package_rows    the packages of measures, read for the export and written
                  by the import
  report_rows     the rapporteur's report drafts, read for the export and
                  written by the import (citations rewritten both ways)

Only the pure API is re-exported here. Re-exporting the importer or exporter
would make `import dialogue.workshop_file.parse` import the models too (Python
runs this file first), so callers import those two modules directly:
`from dialogue.workshop_file.importer import workshop_import`.
"""

from dialogue.workshop_file.dump import dump_workshop_file
from dialogue.workshop_file.parse import parse_workshop_file, validate
from dialogue.workshop_file.spec import WorkshopFileError, WorkshopSpec

__all__ = [
    "WorkshopFileError",
    "WorkshopSpec",
    "dump_workshop_file",
    "parse_workshop_file",
    "validate",
]
