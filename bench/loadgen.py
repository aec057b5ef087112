"""A small HTTP load generator: ``python -m bench.loadgen URL --cookie NAME=VALUE --seconds S
--concurrency C`` keeps C requests in flight for S seconds and prints one JSON line
(requests, errors, rps, median latency). Plain http.client in threads: a sync gunicorn closes
each connection after its answer, so there is nothing to keep alive."""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
from urllib.parse import urlsplit


def hammer(url: str, headers: dict, deadline: float, out: list, lock: threading.Lock) -> None:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    mine = []
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            ok = response.status == 200
        except OSError:
            ok = False
        mine.append((ok, time.perf_counter() - started))
    with lock:
        out.extend(mine)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--cookie", default="")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    headers = {"Cookie": args.cookie, "Accept": "application/json"}
    done: list = []
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + args.seconds
    threads = [
        threading.Thread(target=hammer, args=(args.url, headers, deadline, done, lock))
        for _ in range(args.concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ok = sorted(latency for good, latency in done if good)
    print(
        json.dumps(
            {
                "requests": len(ok),
                "errors": len(done) - len(ok),
                "seconds": elapsed,
                "rps": len(ok) / elapsed,
                "median_ms": ok[len(ok) // 2] * 1000 if ok else None,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
