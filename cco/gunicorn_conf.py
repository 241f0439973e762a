"""Gunicorn's settings for `bin/run --production` (`gunicorn -c python:cco.gunicorn_conf cco.wsgi`).

Workers, address and timeouts come from the command line or the environment (WEB_CONCURRENCY,
GUNICORN_CMD_ARGS); this file only tidies prometheus_client's multiprocess folder after a worker
exits, so a restarted worker's live figures are not added to a dead one's (docs/operations.md).
"""

import os


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
