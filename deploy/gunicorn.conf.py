"""gunicorn settings of the form service; systemd adds `--bind 127.0.0.1:<port>` per instance.

Workers come from PORTAL_WORKERS. Whatever their number, production refuses to start unless
PORTAL_RATELIMIT_STORAGE_URL names a storage every worker and instance shares (Redis): limits
counted in each process's memory would let every guess through once per worker. Access lines
carry the worker's pid and the path without the query string (which worker answered, never what
was asked), and the application's own log records go to stderr at PORTAL_LOG_LEVEL (SQL
statements stay at WARNING: the engine hides parameters, but there is no reason to log them).
"""

import os

workers = int(os.environ.get("PORTAL_WORKERS", "4"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
# nginx in front refuses request lines over 8 KiB with its own Chinese page.
limit_request_line = 8190
# gunicorn 25+ opens a control socket in $HOME/.gunicorn by default: one path shared by every
# instance on the host, outside the unit's writable paths. systemd controls the instances.
control_socket_disable = True

accesslog = "-"
access_log_format = '%(h)s %(p)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'
errorlog = "-"
loglevel = os.environ.get("PORTAL_LOG_LEVEL", "info").lower()
logconfig_dict = {
    "root": {"level": loglevel.upper(), "handlers": ["error_console"]},
    "loggers": {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "sqlalchemy": {"level": "WARNING", "handlers": [], "propagate": True},
    },
}
