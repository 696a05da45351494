"""Load on the web page: N concurrent API clients on loopback, with the page's own limits.

    python bench/ui_load.py [--clients 8] [--checks 3] [--concurrency 1] [--out FILE]

Serves the page as `verify ui` does (queue of 32, one check at a time by default, the rate
limits of `verify ui`), then starts ``--clients`` threads that each run ``--checks`` checks
of a short article against the bundled example corpus through ``gradio_client`` (the
named ``/check`` endpoint), all at once. Reports wall time, p50/p95/max latency per check
and every failure. Stops by itself; every request has a timeout.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit  # noqa: E402

ARTICLE = ("The Riverside Bridge cost $84 million. Mayor Elena Ruiz cut the ribbon at the "
           "opening ceremony. The bridge is 420 metres long.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--checks", type=int, default=3, help="checks per client")
    parser.add_argument("--concurrency", type=int, default=1, help="checks run at once")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per check")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    from gradio_client import Client
    from starlette.middleware import Middleware
    from verify.ui.app import EXAMPLE_CORPUS, CheckService, build_app
    from verify.ui.limits import RateLimitMiddleware, RateLimits

    service = CheckService(models=["verify-nli-minilm"])
    service.verifier(None).warm_up()
    app = build_app(service)
    app.queue(default_concurrency_limit=args.concurrency, max_size=32)
    port = _free_port()
    # The limits `verify ui` uses by default; every client here shares one address, so
    # the bench raises the check limit to what it sends (it measures the queue, not the
    # limiter, which tests/test_ui.py covers).
    limits = RateLimits(checks_per_minute=max(20, args.clients * args.checks * 2))
    app.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True,
               quiet=True, app_kwargs={"middleware": [Middleware(RateLimitMiddleware,
                                                                  limits=limits)]})
    url = f"http://127.0.0.1:{port}/"
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client() -> None:
        try:
            api = Client(url, verbose=False)
        except Exception as exc:  # noqa: BLE001 - a bench records every failure
            with lock:
                failures.append(f"connect: {type(exc).__name__}: {exc}")
            return
        for _ in range(args.checks):
            started = time.perf_counter()
            try:
                job = api.submit(ARTICLE, EXAMPLE_CORPUS, "", api_name="/check")
                report = job.result(timeout=args.timeout)
                assert report["claims"], "no claims in the report"
                with lock:
                    latencies.append(time.perf_counter() - started)
            except Exception as exc:  # noqa: BLE001
                with lock:
                    failures.append(f"{type(exc).__name__}: {exc}"[:200])

    started = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.timeout * args.checks + 60)
    wall = time.perf_counter() - started
    app.close()
    ordered = sorted(latencies)

    def percentile(q: float) -> float | None:
        if not ordered:
            return None
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return emit({
        "benchmark": "ui_load", "clients": args.clients, "checks_per_client": args.checks,
        "queue_concurrency": args.concurrency, "queue_size": 32,
        "checks_done": len(latencies), "failures": len(failures),
        "failure_list": failures[:10], "wall_seconds": round(wall, 1),
        "latency_seconds": {"p50": percentile(0.5), "p95": percentile(0.95),
                            "max": round(ordered[-1], 2) if ordered else None,
                            "mean": round(statistics.mean(ordered), 2) if ordered else None},
        "checks_per_second": round(len(latencies) / wall, 2) if wall else None,
    }, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
