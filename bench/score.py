"""`nlpkit score` on 10k/100k news articles: throughput by workers, time per stage, memory, Ray vs local.

Archives are built by replicating the CNN/DM articles of ../shared/data/cnndm_writer (the
first line of each becomes the headline, the rest the body), so articles have news length;
every run scores topic, stance (against one --target, so every article has one) and a brief.
Each configuration runs as its own process (`nlpkit score ... --quiet -f json`); its summary
gives the time per stage (summed over workers). Memory is sampled every 0.1 s: the main
process's peak RSS, the largest worker's peak RSS, and the peak of their total. A plain
one-article-at-a-time loop over the same models is the reference (on 1,000 articles).
The Ray engine runs the 10k job with as many actors as local workers; its rows must equal
the local engine's.

`--claims N` adds one more run: N claims (sentences of the articles' writer briefs, so each claim
bears on the copies of one article) checked against every article of the largest archive, with
`--claims-out` (the relatedness filter decides which pairs reach the stance model).

Usage: python bench/score.py [--data DIR] [--sizes 10000,100000] [--skip-ray] [--claims 200]
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

TARGET = "Officials announce a new plan"
LOOP = r"""
import json, sys
from nlpkit.catalog import get_summarizer, load_model
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare, topic_text
topic, stance = load_model("topic"), load_model("stance")
summ, length = get_summarizer("auto"), LengthSpec.parse("3")
with open(sys.argv[1]) as f, open(sys.argv[2], "w") as out:
    for line in f:
        r = json.loads(line)
        doc = prepare(r["text"], title=r["title"])
        t = topic.predict_one(topic_text(doc))
        s = stance.predict_one(doc.text, target=sys.argv[3])
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
        if body.strip():
            base.append((head.strip(), body.strip()))
    path = folder / f"archive-{n}.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            title, text = base[i % len(base)]
            f.write(json.dumps({"id": f"a{i}", "title": title, "text": text}) + "\n")
    return path


def claim_lines(data: Path, n: int) -> list[str]:
    """`n` claims: sentences of the writer briefs of cnndm_writer, each a claim about one article."""
    from nlpkit.text.segment import segment

    out: list[str] = []
    for r in jsonl(data / "cnndm_writer" / "writer_summaries.jsonl"):
        out += [s.text for s in segment(r["summary"]).sentences if len(s.text.split()) >= 5]
    seen = list(dict.fromkeys(out))
    return seen[:n]


def measure(cmd: list[str]) -> dict:
    """Wall seconds, peak RSS (MB) of the main process, of the largest worker and in total, and stdout."""
    t0 = time.perf_counter()
    proc = psutil.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    main = worker = total = 0
    while proc.poll() is None:
        try:
            children = [c for c in proc.children(recursive=True) if c.is_running()]
            rss = {c.pid: c.memory_info().rss for c in children}
            m = proc.memory_info().rss
            main, total = max(main, m), max(total, m + sum(rss.values()))
            worker = max(worker, *rss.values()) if rss else worker
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    if proc.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{err}")
    mb = 2**20
    return {
        "seconds": time.perf_counter() - t0,
        "main": main / mb,
        "worker": worker / mb,
        "total": total / mb,
        "stdout": out,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--claims", type=int, default=0, help="also score N claims over the largest archive")
    parser.add_argument("--only-claims", action="store_true", help="run the claims job only")
    args = parser.parse_args()
    data = data_dir(args.data)
    tmp = Path(tempfile.mkdtemp(prefix="nlpkit-bench-score-"))
    score = [sys.executable, "-m", "nlpkit", "score"]
    common = ["--target", TARGET, "--quiet", "--force", "-f", "json"]
    print(
        f"{'articles':>8} {'system':<30} {'wall s':>7} {'art/s':>6} {'main MB':>8} {'worker MB':>9} {'total MB':>8}  time per stage (s, all workers)"
    )
    rates: dict[tuple[int, str], float] = {}
    peaks: dict[int, float] = {}
    small = build(data, 1000, tmp)
    loop = measure([sys.executable, "-c", LOOP, str(small), str(tmp / "loop.jsonl"), TARGET])
    print(
        f"{1000:>8} {'plain loop, 1 article at a time':<30} {loop['seconds']:7.1f} {1000 / loop['seconds']:6.0f} {loop['main']:8.0f} {'-':>9} {loop['total']:8.0f}"
    )
    sizes = [int(s) for s in args.sizes.split(",")]
    for n in [] if args.only_claims else sizes:
        archive = build(data, n, tmp)
        configs = [("local, 1 worker", "1", "local"), ("local, 2 workers", "2", "local")] if n <= 10_000 else []
        configs = configs or [("local, 2 workers", "2", "local")]
        if n <= 10_000 and not args.skip_ray:
            configs.append(("ray, 2 actors", "2", "ray"))
        for name, workers, engine in configs:
            out = tmp / f"{engine}-{workers}-{n}.jsonl"
            m = measure([*score, str(archive), "-o", str(out), "-w", workers, "--engine", engine, *common])
            summary = json.loads(m["stdout"])
            stages = ", ".join(f"{k} {v:.1f}" for k, v in summary["stages"].items())
            rate = n / m["seconds"]
            rates[(n, name)] = rate
            if name == "local, 2 workers":
                peaks[n] = m["total"]
            print(
                f"{n:>8} {name:<30} {m['seconds']:7.1f} {rate:6.0f} {m['main']:8.0f} {m['worker']:9.0f} {m['total']:8.0f}  {stages}",
                flush=True,
            )
        if (n, "ray, 2 actors") in rates:
            same = (tmp / f"ray-2-{n}.jsonl").read_bytes() == (tmp / f"local-2-{n}.jsonl").read_bytes()
            print(
                f"{'':>8} ray rows identical to local: {same}; ray wall time / local: {rates[(n, 'local, 2 workers')] / rates[(n, 'ray, 2 actors')]:.2f}x"
            )
        if (n, "local, 1 worker") in rates:
            print(f"{'':>8} 1 -> 2 workers: x{rates[(n, 'local, 2 workers')] / rates[(n, 'local, 1 worker')]:.2f}")
    if len(peaks) > 1:
        a, b = sorted(peaks)[0], sorted(peaks)[-1]
        print(f"peak total RSS at {b:,} articles / at {a:,}: {peaks[b] / peaks[a]:.2f}x")
    if args.claims:
        n = max(sizes)
        archive = build(data, n, tmp)
        claims = tmp / "claims.txt"
        claims.write_text("\n".join(claim_lines(data, args.claims)) + "\n", encoding="utf-8")
        out, rows = tmp / f"claims-{n}.jsonl", tmp / f"claim-rows-{n}.jsonl"
        m = measure(
            [
                *score,
                str(archive),
                "-o",
                str(out),
                "-w",
                "2",
                "--claims",
                str(claims),
                "--claims-out",
                str(rows),
                *common,
            ]
        )
        summary = json.loads(m["stdout"])
        pairs = sum(1 for _ in rows.open(encoding="utf-8"))
        stages = ", ".join(f"{k} {v:.1f}" for k, v in summary["stages"].items())
        print(
            f"{n:>8} {f'local, 2 workers, {args.claims} claims':<30} {m['seconds']:7.1f} {n / m['seconds']:6.0f} "
            f"{m['main']:8.0f} {m['worker']:9.0f} {m['total']:8.0f}  {stages}"
        )
        print(f"{'':>8} {pairs:,} related (article, claim) pairs of {n * args.claims:,} scored for stance")
    print("\nwall time includes start-up and model loading; art/s = articles / wall time.")


if __name__ == "__main__":
    main()
