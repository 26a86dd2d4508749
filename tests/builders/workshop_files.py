"""Workshop files: the smallest valid one, what validation refuses, and
what the export writes."""

import pytest

from dialogue.workshop_file import WorkshopFileError, dump_workshop_file, validate
from dialogue.workshop_file.exporter import workshop_export


def small_file() -> dict:
    return {
        "slug": "small",
        "title": "Small dialogue",
        "source": {"title": "", "authors": [], "date": "", "publisher": ""},
        "confidentiality": "chatham_house",
        "delegations": [{"code": "CN", "name": "China"}, {"code": "US", "name": "USA"}],
        "sessions": [
            {
                "title": "One",
                "items": [
                    {
                        "number": 1,
                        "title": "First",
                        "body": "Text",
                        "proposed_by": "CN",
                        "addressed_to": "US",
                        "points": ["a", "b"],
                    }
                ],
            }
        ],
    }


def errors_of(data) -> list[tuple[str, str]]:
    """The (field path, message) pairs `validate` refuses `data` with."""
    with pytest.raises(WorkshopFileError) as excinfo:
        validate(data)
    return excinfo.value.errors


def export_text(workshop) -> str:
    """The workshop's file as the organisers' export writes it."""
    return dump_workshop_file(workshop_export(workshop=workshop))
