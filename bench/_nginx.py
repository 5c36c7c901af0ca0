"""The shipped nginx configuration (deploy/nginx/akhbar.conf) rendered for a local run: its
EDIT lines get this run's ports and paths, and a minimal main configuration includes it.
Used by the nginx test and by `python -m bench pages` (pages read through the proxy)."""

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
SHIPPED = REPO_DIR / "deploy" / "nginx" / "akhbar.conf"


def render_shipped(config: str, *, app_port: int, nginx_port: int, var_dir: Path, cache_dir: Path) -> str:
    """The shipped file with local values on the lines an administrator edits."""
    replacements = {
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{app_port} ",
        "listen 80;": f"listen 127.0.0.1:{nginx_port};",
        "listen [::]:80;": "",
        "/var/cache/nginx/akhbar": str(cache_dir),
        "/srv/akhbar/var/static/": f"{var_dir}/static/",
        "/srv/akhbar/var/media/": f"{var_dir}/media/",
    }
    for shipped, local in replacements.items():
        if shipped not in config:
            raise ValueError(f"deploy/nginx/akhbar.conf no longer contains {shipped!r}; update bench/_nginx.py")
        config = config.replace(shipped, local)
    return config


def main_config(work: Path, site: Path, workers: str = "1", connections: int = 256) -> str:
    temp = "\n".join(f"  {kind}_temp_path {work}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
{'user root;' if os.geteuid() == 0 else ''}
worker_processes {workers};
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp}
  include {site};
}}
"""
