"""gunicorn settings, for `akhbar serve` with AKHBAR_WEB_SERVER=gunicorn (loaded with `-c python:akhbar.core.gunicorn_config`).

Threads per worker let a few processes ride out slow clients; WhiteNoise serves static files
from memory-mapped files in the same workers. Every knob is an environment variable.
"""

import os

from akhbar.settings.env import env_bool, env_int, env_str

wsgi_app = "akhbar.wsgi:application"
bind = [f"{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"]
workers = env_int("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = env_int("GUNICORN_THREADS", 4)
timeout = env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = 500
proc_name = "akhbar-web"
# Access logs are off by default (they would be the only place readers' IPs are written);
# ACCESS_LOG=1 turns them on, to stdout.
accesslog = "-" if env_bool("ACCESS_LOG") else None
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "warning")
forwarded_allow_ips = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which two
# sites on one machine would fight over; Akhbar does not use it.
control_socket_disable = True
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
