"""Benchmark newsletter sending: N confirmed subscribers sent one issue through a local SMTP sink.

    python -m bench.newsletter_send [--subscribers N] [--batch N]

The sink (aiosmtpd, in a process of its own) accepts and counts messages without parsing them.
Prints messages/s, total time, and the sender's resident memory at quarters of the send, which
stays flat as the list grows (keyset batches; nothing accumulates per recipient). Goal (issue 7):
at least 200 messages/s.
"""

import argparse
import multiprocessing
import os
import socket
import sys
import threading
import time

from bench import fresh_site, machine


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.newsletter_send", description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200, help="recipients per send-log batch")
    parser.add_argument("--profile", action="store_true", help="print where the sender's time goes (slower)")
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sink(port: int, ready, counter) -> None:
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    threading.Event().wait()


def rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    port = free_port()
    context = multiprocessing.get_context("spawn")
    ready, counter = context.Event(), context.Value("l", 0)
    server = context.Process(target=sink, args=(port, ready, counter), daemon=True)
    server.start()
    if not ready.wait(60):
        print("the SMTP sink did not start", file=sys.stderr)
        return 1
    os.environ.update(
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(port), AKHBAR_NEWSLETTER_RATE="0",
        AKHBAR_NEWSLETTER_BATCH=str(args.batch), AKHBAR_NEWSLETTER_SITE_URL="https://news.example",
        DEFAULT_FROM_EMAIL="newsletter@news.example",
    )
    try:
        with fresh_site("akhbar-bench-newsletter-"):
            return run(args, counter)
    finally:
        server.terminate()


def run(args, counter) -> int:
    from wagtail.models import Site

    from akhbar.news.models import ArticlePage, SectionPage
    from akhbar.newsletter.models import Delivery, Issue, IssueArticle, Subscriber
    from akhbar.newsletter.sending import send_issue

    home = Site.objects.get(is_default_site=True).root_page
    section = home.add_child(instance=SectionPage(title="أخبار", slug="news"))
    section.save_revision().publish()
    issue = Issue.objects.create(subject="النشرة اليومية", list="daily", status=Issue.Status.SCHEDULED, intro="أهم أخبار اليوم.")
    for n in range(8):
        article = section.add_child(instance=ArticlePage(title=f"عنوان الخبر رقم {n} في نشرة اليوم", slug=f"story-{n}", lede="ملخص الخبر في جملة أو جملتين."))
        article.save_revision().publish()
        IssueArticle.objects.create(issue=issue, article=article, sort_order=n)
    for start in range(0, args.subscribers, 10_000):
        Subscriber.objects.bulk_create(
            Subscriber(email=f"reader{n}@example.org", status=Subscriber.Status.CONFIRMED, daily=True)
            for n in range(start, min(start + 10_000, args.subscribers))
        )

    samples, done = [], threading.Event()
    started = time.perf_counter()

    def watch():
        while not done.wait(1.0):
            samples.append((time.perf_counter() - started, counter.value, rss_mib()))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    if args.profile:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        sent = profile.runcall(send_issue.call, issue.pk)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    else:
        sent = send_issue.call(issue.pk)
    elapsed = time.perf_counter() - started
    done.set()
    watcher.join()

    print(f"machine: {machine()}")
    print(f"subscribers: {args.subscribers}; batch: {args.batch}; sent by the sender: {sent}; taken by the sink: {counter.value}")
    print(f"total: {elapsed:.1f} s; {sent / elapsed:.0f} messages/s")
    for quarter in (0.25, 0.5, 0.75, 1.0):
        at = [sample for sample in samples if sample[0] <= elapsed * quarter]
        if at:
            t, count, rss = at[-1]
            print(f"  at {t:6.1f} s: {count:>7} taken, sender RSS {rss:.0f} MiB")
    logged = Delivery.objects.filter(issue=issue, status=Delivery.Status.SENT).count()
    print(f"send log: {logged} sent")
    return 0 if logged == args.subscribers == sent else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
