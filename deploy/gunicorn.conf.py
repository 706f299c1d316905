"""gunicorn's settings for one Cocrea app server (deploy/systemd/cocrea-web@.service).

The address comes from the unit (`--bind 127.0.0.1:%i`), so several app servers on one host
share this file; the number of workers from COCREA_WEB_WORKERS (default: two per core plus one).
"""

import os

workers = int(os.environ.get("COCREA_WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
# Sync workers: each request has a worker to itself; nginx buffers slow clients' bodies and
# responses, so a worker is never held by a slow connection.
worker_class = "sync"
# A request still running after this is killed and its worker replaced (the longest page, an
# OGP export, takes a few seconds).
timeout = 60
# On `systemctl stop` or restart (SIGTERM), requests in flight get this long to finish.
graceful_timeout = 30
# A worker is replaced after this many requests (with jitter, not all at once): memory that a
# rare large page took is given back.
max_requests = 5000
max_requests_jitter = 500
# Access and error logs on stdout and stderr: journald keeps them (`journalctl -u 'cocrea-web@*'`).
# One line per request: client, request line, status, bytes, milliseconds, nginx's request id.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("COCREA_WEB_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}i)s'
# No control socket: nothing manages gunicorn but systemd's signals.
control_socket_disable = True
