"""Write a workshop file in its canonical form; pure.

The export prints this form, so an export imports back and re-exports unchanged.
"""

import json


def dump_workshop_file(data: dict) -> str:
    """The canonical text of a workshop file: UTF-8 JSON, 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
