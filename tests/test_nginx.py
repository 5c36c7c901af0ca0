"""The shipped nginx configuration (deploy/nginx/akhbar.conf) in front of a real Akhbar server.

The file is rendered for this test's ports and paths (only the lines marked EDIT change),
checked with `nginx -t`, and served: a page (then from the microcache, and never from it for
a reader with a session), a collected static file, an uploaded file, and the health endpoints.
"""

import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from bench._nginx import SHIPPED, main_config, render_shipped
from tests.app_servers import fetch, free_port, port_open
from tests.conftest import require
from tests.test_serve import Serve, server_env

pytestmark = pytest.mark.slow

@pytest.fixture(scope="module")
def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    require(found is not None, "the nginx test needs Debian's nginx: apt-get install -y nginx")
    return found


def test_the_shipped_nginx_config_serves_akhbar(tmp_path, nginx_binary):
    var_dir, work = tmp_path / "var", tmp_path / "nginx"
    work.mkdir()
    app_port = free_port()
    nginx_port = free_port({app_port})
    site = work / "akhbar.conf"
    site.write_text(render_shipped(SHIPPED.read_text(), app_port=app_port, nginx_port=nginx_port, var_dir=var_dir, cache_dir=work / "cache"))
    conf = work / "nginx.conf"
    conf.write_text(main_config(work, site))
    nginx = [nginx_binary, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")]

    checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr

    env = server_env(var_dir, app_port, None)
    env.update(SERVE_MEDIA="false", AKHBAR_TRUSTED_PROXIES="127.0.0.1", WEB_CONCURRENCY="1")
    serve = Serve(env, tmp_path / "serve.log")
    proxy = None
    try:
        serve.wait_until_ready()
        proxy = subprocess.Popen([*nginx, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not port_open(nginx_port):
            assert proxy.poll() is None and time.monotonic() < deadline, (work / "error.log").read_text()
            time.sleep(0.1)
        base = f"http://127.0.0.1:{nginx_port}"

        status, headers, body = fetch(f"{base}/")
        assert status == 200, body[:500]
        assert 'dir="rtl"' in body.decode()
        assert headers.get("X-Cache-Status") in {"MISS", "EXPIRED"}
        assert fetch(f"{base}/")[1].get("X-Cache-Status") == "HIT"  # within the same second
        assert fetch(f"{base}/", {"Cookie": "sessionid=an-editor"})[1].get("X-Cache-Status") == "BYPASS"
        time.sleep(2.1)  # a copy lives one to two seconds (whole seconds in nginx): then it is refreshed
        assert fetch(f"{base}/")[1].get("X-Cache-Status") in {"STALE", "EXPIRED", "UPDATING", "MISS"}

        status, headers, body = fetch(f"{base}/static/css/site.css")
        assert status == 200 and body == (var_dir / "static" / "css" / "site.css").read_bytes()
        assert headers["Cache-Control"] == "public, max-age=3600"
        hashed = json.loads((var_dir / "static" / "staticfiles.json").read_text())["paths"]["css/site.css"]
        status, headers, body = fetch(f"{base}/static/{hashed}", {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"

        (var_dir / "media").mkdir(exist_ok=True)
        (var_dir / "media" / "probe.txt").write_text("صورة")
        status, _, body = fetch(f"{base}/media/probe.txt")
        assert status == 200 and body.decode() == "صورة"

        assert fetch(f"{base}/healthz")[0] == 200
        status, headers, body = fetch(f"{base}/readyz")
        assert status == 200, body
        assert headers["Cache-Control"] == "no-store"
    finally:
        if proxy is not None:
            proxy.send_signal(signal.SIGQUIT)
            try:
                proxy.wait(20)
            except subprocess.TimeoutExpired:
                proxy.kill()
        serve.stop()
