"""Health endpoints for load balancers and orchestrators.

`/healthz` says the process answers (no database, no cache: a slow database must not get every
app server restarted). `/readyz` says this server can do its work: the database, the shared
cache and the task queue all answer. Failures are named, never explained in the body (error
texts can carry host names and passwords); the details go to the log.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET
from django_tasks import task_backends

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store"}


@require_GET
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain", headers=NO_STORE)


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, value = f"akhbar:readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("the cache did not return what was just stored")
    finally:
        cache.delete(key)


def check_task_queue() -> None:
    """The queue answers: the task table on the database queue, a PING on RQ's Redis."""
    backend = task_backends["default"]
    module = type(backend).__module__
    if module.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.using("default").only("pk").first()
    elif module.startswith("django_tasks_rq"):
        import django_rq

        for name in backend.queues:
            django_rq.get_queue(name).connection.ping()
    # Other backends (immediate, dummy) run in the process itself: nothing to reach.


CHECKS = {"database": check_database, "cache": check_cache, "tasks": check_task_queue}


@require_GET
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Readiness check %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failed else "ok", "checks": results}
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=503 if failed else 200, headers=NO_STORE)
