"""Calls released at once from threads, each on its own database connection
(PostgreSQL tests of what row locks serialise)."""

import threading

from django.db import connection

from dialogue.errors import Refusal


def at_once(*calls) -> list[tuple[str, object]]:
    """Run the calls in threads released together; ("ok", result),
    ("refused", its messages) or ("error", repr) for each, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Refusal as exc:
            results[index] = ("refused", exc.messages)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion
            results[index] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results
