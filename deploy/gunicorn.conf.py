"""gunicorn for SIKAP:  gunicorn sikap.wsgi -c deploy/gunicorn.conf.py

Every value can be overridden by an environment variable of the same name in upper case with
the prefix GUNICORN_ (e.g. GUNICORN_WORKERS=8), or by gunicorn's own GUNICORN_CMD_ARGS.
"""

import multiprocessing
import os


def _env(name: str, default):
    return type(default)(os.environ.get(f"GUNICORN_{name.upper()}", default))


# nginx talks to us on a local port (or a unix socket: GUNICORN_BIND=unix:/run/sikap/web.sock).
bind = _env("bind", "127.0.0.1:8000")
# Synchronous workers: SIKAP's pages are short database-bound requests; PDFs are made by Celery.
workers = _env("workers", multiprocessing.cpu_count() * 2 + 1)
threads = _env("threads", 1)
worker_class = "sync"
timeout = _env("timeout", 60)  # a request longer than this is killed and logged
graceful_timeout = _env("graceful_timeout", 30)
keepalive = _env("keepalive", 5)
# Replace workers now and then so a slow leak never grows (jitter: not all at once).
max_requests = _env("max_requests", 2000)
max_requests_jitter = _env("max_requests_jitter", 200)
# Large CSV/XLSX imports are posted as files; nginx limits the body size (client_max_body_size).
limit_request_line = 8190
# Trust X-Forwarded-* only from nginx on this machine (adjust to nginx's address otherwise).
forwarded_allow_ips = _env("forwarded_allow_ips", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
accesslog = "-"
errorlog = "-"
loglevel = _env("loglevel", "info")
# Hide the client's IP in gunicorn's own access log? Keep it: nginx logs it anyway; rotate logs.
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
preload_app = True  # import Django once, fork workers (faster start, less memory)
