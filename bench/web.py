"""Scoring web pages: `nlpkit score --urls` over 1,000 pages from a local server, time per stage.

The pages are CNN/DailyMail articles from ../shared/data/cnndm_train wrapped in a news page's
HTML (navigation, byline, related links, comments), served on 127.0.0.1 by a threaded server
that adds a fixed latency per request (default 20 ms, as a fast remote site would). Measured, in
one run: `nlpkit score --urls` with 2 workers (fetch, extraction and the three tasks), the same
articles scored from a JSONL file (no fetching), and the loop a user would otherwise write: one
page at a time with urllib3 and trafilatura's `extract` (extraction only, no scoring; trafilatura's
own `fetch_url` refuses local addresses).

    python bench/web.py [--pages 1000] [--latency 0.02]
"""

from __future__ import annotations

import argparse
import html
import json
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _data import data_dir, jsonl


def page(title: str, text: str, i: int) -> bytes:
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)} | Bench News</title>"
        f"<meta name='author' content='Desk {i}'><meta property='article:published_time' content='2024-05-02'></head>"
        "<body><header><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav></header><main><article>"
        f"<h1>{html.escape(title)}</h1><p class='byline'>By Desk {i}</p>{paras}</article>"
        "<aside><h2>Most read</h2><ul><li>Another story</li><li>And another</li></ul></aside>"
        "<section class='comments'><h2>Comments</h2><p>First!</p></section></main></body></html>"
    ).encode()


def serve(pages: list[bytes], latency: float) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            time.sleep(latency)
            if self.path == "/robots.txt":
                body, status = b"User-agent: *\nAllow: /\n", 200
            elif self.path.startswith("/a/"):
                body, status = pages[int(self.path[3:].split(".")[0])], 200
            else:
                body, status = b"not here", 404
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def score(args: list[str], cwd: Path) -> tuple[float, dict]:
    start = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "nlpkit", "score", *args, "-q", "-f", "json"], cwd=cwd, capture_output=True, text=True
    )
    wall = time.perf_counter() - start
    if r.returncode not in (0, 1):
        sys.exit(r.stderr)
    return wall, json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the server waits before each answer")
    parser.add_argument("--workers", type=int, default=2)
    a = parser.parse_args()
    rows = list(jsonl(data_dir(a.data) / "cnndm_train" / "pairs.jsonl"))
    arts = [(r["text"].split(".")[0][:90], r["text"]) for r in rows]
    pages = [page(*arts[i % len(arts)], i) for i in range(a.pages)]
    server, base = serve(pages, a.latency)
    tmp = Path(tempfile.mkdtemp())
    (tmp / "urls.txt").write_text("".join(f"{base}/a/{i}.html\n" for i in range(a.pages)))
    (tmp / "local.jsonl").write_text(
        "".join(
            json.dumps({"id": str(i), "title": arts[i % len(arts)][0], "text": arts[i % len(arts)][1]}) + "\n"
            for i in range(a.pages)
        )
    )
    print(
        f"{a.pages} pages of CNN/DM articles from cnndm_train, served on 127.0.0.1 with {a.latency * 1000:.0f} ms latency"
    )
    print(f"{'system':44} {'wall s':>7} {'pages/s':>8}  per stage (s, summed over workers)")
    for connections in (2, 8):
        web_args = ["--urls", "urls.txt", "--out", "web.jsonl", "-w", str(a.workers), "--host-delay", "0", "--force"]
        wall, s = score([*web_args, "--host-connections", str(connections)], tmp)
        stages = ", ".join(f"{k} {v:.1f}" for k, v in s["stages"].items())
        name = f"nlpkit score --urls, {a.workers} workers, {connections} per host"
        print(f"{name:44} {wall:7.1f} {a.pages / wall:8.1f}  {stages}")
        print(f"{'':44} fetched {s['fetched']}, scored {s['scored']}, failed {s['failed']}")
    wall, s = score(["local.jsonl", "--out", "local.jsonl.out.jsonl", "-w", str(a.workers), "--force"], tmp)
    stages = ", ".join(f"{k} {v:.1f}" for k, v in s["stages"].items())
    print(f"{'nlpkit score, same articles from JSONL':44} {wall:7.1f} {a.pages / wall:8.1f}  {stages}")
    import trafilatura
    import urllib3

    n = min(a.pages, 300)
    http = urllib3.PoolManager()
    start = time.perf_counter()
    extracted = sum(bool(trafilatura.extract(http.request("GET", f"{base}/a/{i}.html").data)) for i in range(n))
    wall = time.perf_counter() - start
    name = f"urllib3 + trafilatura.extract loop ({n})"
    print(f"{name:44} {wall:7.1f} {n / wall:8.1f}  {extracted} extracted; extraction only, no scoring")
    server.shutdown()


if __name__ == "__main__":
    main()
