"""Workshop files: the smallest valid one."""


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
