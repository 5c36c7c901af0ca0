"""Comments posted at the same moment from two processes are all saved, threaded and counted.

On PostgreSQL (DATABASE_URL): two separate Python processes post replies to the same comment
at the same instant, each through Django's full request stack; every post is answered 201 and
the thread and counts agree afterwards. (SQLite serialises writers, so it proves nothing here.)
"""

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.db import connection

from akhbar.comments import listing
from akhbar.comments.models import Comment, CommentSettings
from tests.conftest import REPO_DIR
from tests.factories import make_article, make_home, make_section

POSTER = textwrap.dedent(
    """
    import json, os, sys, time
    import django
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from akhbar.core.public_forms import make_stamp
    setup_test_environment()
    article_id, parent_id, start_at, count, tag = sys.argv[1:6]
    client = Client()
    while time.time() < float(start_at):
        time.sleep(0.001)
    statuses = []
    for n in range(int(count)):
        response = client.post(
            f"/comments/{article_id}/post/",
            {"name": f"قارئ {tag}", "email": f"r{tag}-{n}@example.org", "text": f"رد {tag}-{n}",
             "parent": parent_id, "started": make_stamp(time.time() - 10)},
            HTTP_ACCEPT="application/json", REMOTE_ADDR=f"198.51.100.{tag}",
        )
        statuses.append(response.status_code)
    print(json.dumps(statuses))
    """
)


@pytest.mark.django_db(transaction=True)
def test_two_processes_posting_at_the_same_moment_keep_threads_and_counts_right(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the PostgreSQL run (DATABASE_URL) covers this")
    home = make_home()
    section = make_section(home, "أخبار", slug="news")
    article = make_article(section)
    row = CommentSettings.load()
    row.policy = CommentSettings.POLICY_OPEN
    row.save()
    parent = Comment.objects.create(article=article, name="سلمى", email="s@example.org", text="أصل", status="approved")

    settings_dict = connection.settings_dict
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    url = f"postgres://{settings_dict['USER']}{password}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "akhbar.settings.test", "DATABASE_URL": url}
    script = tmp_path / "poster.py"
    script.write_text(POSTER)
    per_process = 10
    start_at = time.time() + 4  # both processes are set up by then
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(article.pk), str(parent.pk), str(start_at), str(per_process), str(tag)],
            cwd=REPO_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for tag in (1, 2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert results == [[201] * per_process, [201] * per_process]

    replies = Comment.objects.filter(parent=parent)
    assert replies.count() == 2 * per_process
    assert set(replies.values_list("depth", "status").distinct()) == {(1, "approved")}
    assert listing.approved_count(article.pk) == 2 * per_process + 1
    batch = listing.threads(article.pk)
    assert len(batch.threads) == 1 and batch.threads[0].more_replies  # 20 replies: the first ten and a link
