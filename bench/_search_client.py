"""HTTP side of `bench.search_eval`: the queries, one at a time, over one keep-alive connection."""

import http.client
import json
import time
import urllib.parse
from dataclasses import dataclass, field

SEARCH_PATH = "/api/v2/pages/"
BASE_PARAMETERS = {"type": "news.ArticlePage", "fields": "external_id", "limit": "10"}
REQUEST_TIMEOUT = 60

# Parameters tried next to `search=` once per site, to record what Wagtail's pages endpoint
# accepts with a search and what it refuses (400 with a message).
PROBES = {
    "search only": {},
    "search_operator=and": {"search_operator": "and"},
    "search_operator=or": {"search_operator": "or"},
    "order=-first_published_at": {"order": "-first_published_at"},
    "order=title": {"order": "title"},
    "order=random": {"order": "random"},
    "offset=10": {"offset": "10"},
    "limit=100": {"limit": "100"},
    "tag=…": {"tag": "اقتصاد"},
    "title=…": {"title": "x"},
}


@dataclass
class Answer:
    status: int
    ids: list[str | None] = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""


class SearchClient:
    def __init__(self, port: int):
        self.port = port
        self.connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def _get(self, path: str) -> tuple[int, bytes]:
        for attempt in (1, 2):  # gunicorn closes idle keep-alive connections after 5 s: reconnect once
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
            try:
                self.connection.request("GET", path, headers={"Accept": "application/json"})
                response = self.connection.getresponse()
                body = response.read()
                if response.will_close:
                    self.close()
                return response.status, body
            except (http.client.HTTPException, ConnectionError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def search(self, query: str, extra: dict[str, str] | None = None) -> Answer:
        parameters = {"search": query, **BASE_PARAMETERS, **(extra or {})}
        path = f"{SEARCH_PATH}?{urllib.parse.urlencode(parameters)}"
        started = time.perf_counter()
        try:
            status, body = self._get(path)
        except (OSError, http.client.HTTPException) as error:
            return Answer(status=0, seconds=time.perf_counter() - started, error=f"{type(error).__name__}: {error}")
        seconds = time.perf_counter() - started
        try:
            data = json.loads(body)
        except ValueError:
            return Answer(status=status, seconds=seconds, error=f"not JSON: {body[:120]!r}")
        if status != 200:
            message = data.get("message") if isinstance(data, dict) else None
            return Answer(status=status, seconds=seconds, error=str(message or data)[:200])
        ids = [_external_id(item) for item in data.get("items", [])]
        return Answer(status=status, ids=ids, seconds=seconds)


def _external_id(item: dict) -> str | None:
    value = item.get("external_id")
    return None if value in (None, "") else str(value)


def probe_parameters(client: SearchClient, query: str) -> dict[str, str]:
    """{probe name: "200 (n results)" or "400: message"} for the parameters in PROBES."""
    outcome = {}
    for name, extra in PROBES.items():
        answer = client.search(query, extra)
        outcome[name] = f"{answer.status} ({len(answer.ids)} results)" if answer.status == 200 else f"{answer.status}: {answer.error}"
    return outcome
