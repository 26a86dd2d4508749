"""gunicorn's settings for the web process (the Dockerfile's command and
docker-compose.yml's `web` run `gunicorn workshop.wsgi -c gunicorn.conf.py`).

Threaded workers with keep-alive, chosen from `benchmarks/pages.py` (see
README.md, "Performance"): on two cores, two gthread workers of four threads
served the signed-in trivial view about three times as fast as two sync
workers, and the session page about as much faster. A sync worker serves
one request at a time and closes every connection, so each request paid a
new connection and a page waiting on the database held its worker idle; a
thread waiting on PostgreSQL or Redis leaves the core to another. Eight
threads measured no better than four. Change the counts with WEB_WORKERS and
WEB_THREADS (e.g. one worker per core).
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Seconds an idle connection from the proxy stays open for its next request.
keepalive = 5
accesslog = "-"
