"""Throughput and peak memory of `nlpkit score` against a plain loop, on 1k/10k/100k articles.

Archives are built by replicating the CNN/DM articles of ../shared/data/cnndm_writer (the
first line of each becomes the headline, the rest the body), so articles have news length.
Each configuration runs as its own process (`nlpkit score ... --quiet`); peak RSS is the
largest total resident memory of that process and its workers, sampled every 0.1 s. The
plain loop calls the same bundled models and summarizer one article at a time.

Usage: python bench/score.py [--data DIR] [--sizes 1000,10000,100000] [--skip-ray]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))

from _data import data_dir, jsonl

LOOP = r"""
import json, sys
from nlpkit.catalog import load_model
from nlpkit.catalog import get_summarizer
from nlpkit.text.prepare import prepare
from nlpkit.summarizers.length import LengthSpec
topic, stance = load_model("topic"), load_model("stance")
summ, length = get_summarizer("auto"), LengthSpec.parse("3")
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in f:
        r = json.loads(line)
        doc = prepare(r["text"], title=r["title"])
        t = topic.predict_one(doc.title + "\n\n" + doc.text)
        s = stance.predict_one(doc.text, target=doc.title)
        b = summ.summarize(doc, length).text
        out.write(json.dumps({"id": r["id"], "topic": t.label, "stance": s.label, "brief": b}) + "\n")
"""


def build(data: Path, n: int, folder: Path) -> Path:
    base = []
    seen = set()
    for r in jsonl(data / "cnndm_writer" / "writer_summaries.jsonl"):
        if r["article_id"] in seen:
            continue
        seen.add(r["article_id"])
        head, _, body = r["text"].partition("\n")
        base.append((head.strip(), body.strip()))
    path = folder / f"archive-{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            title, text = base[i % len(base)]
            f.write(json.dumps({"id": f"a{i}", "title": title, "text": text}) + "\n")
    return path


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak total RSS (MB) of a command and all its children."""
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [proc, *proc.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--skip-ray", action="store_true")
    args = parser.parse_args()
    data = data_dir(args.data)
    sizes = [int(s) for s in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="nlpkit-bench-score-"))
    nlpkit = [sys.executable, "-m", "nlpkit", "score"]
    print(f"{'articles':>8} {'system':<34} {'seconds':>8} {'articles/s':>10} {'peak RSS MB':>11}")
    for n in sizes:
        archive = build(data, n, tmp)
        configs: list[tuple[str, list[str]]] = []
        if n <= 1_000:  # one article at a time is slow: measured on the smallest archive only
            configs.append(("plain loop, 3 tasks", [sys.executable, "-c", LOOP, str(archive), str(tmp / "loop.jsonl")]))
        if n <= 10_000:
            configs += [
                ("nlpkit score 1 worker, 3 tasks", [*nlpkit, str(archive), "-o", str(tmp / "o1.jsonl"), "-w", "1"]),
                (
                    "nlpkit score 1 worker, topic",
                    [*nlpkit, str(archive), "-o", str(tmp / "t1.jsonl"), "-w", "1", "--tasks", "topic"],
                ),
                (
                    "nlpkit score 2 workers, topic",
                    [*nlpkit, str(archive), "-o", str(tmp / "t2.jsonl"), "-w", "2", "--tasks", "topic"],
                ),
            ]
        configs.append(
            ("nlpkit score 2 workers, 3 tasks", [*nlpkit, str(archive), "-o", str(tmp / "o2.jsonl"), "-w", "2"])
        )
        if n == 10_000 and not args.skip_ray:
            configs.append(
                (
                    "nlpkit score --engine ray, 2 actors",
                    [*nlpkit, str(archive), "-o", str(tmp / "ray.jsonl"), "-w", "2", "--engine", "ray"],
                )
            )
        for name, cmd in configs:
            if "score" in cmd:
                cmd = [*cmd, "--quiet", "--force"]
            seconds, rss = measure(cmd)
            print(f"{n:>8} {name:<34} {seconds:8.1f} {n / seconds:10.0f} {rss:11.0f}", flush=True)
    print("\nwhole-process times include start-up and model loading (about 3-5 s per process).")


if __name__ == "__main__":
    main()
