"""Start-up, brief and classify speed of nlpkit, each beside a reference measured in the same run.

Measured (medians of several runs; this machine's load moves every figure, the ratios less):
  whole process   `nlpkit --help`, `nlpkit summarize data/article.txt`, `nlpkit classify
                  data/article.txt --model topic` (seconds and peak RSS), against
                  `python -c "import numpy"`; whether torch is installed is printed (the
                  bundled models must not import it, nor scikit-learn)
  brief           articles/s in one process on one core on the CNN/DM articles of cnndm_writer (repeated):
                  clean + segment, and the default `auto` brief (prepare included), against
                  sumy's LexRank (given nlpkit's tokenizer: sumy's own wants NLTK data)
  topic predict   texts/s of the bundled topic model in one process, against fastText
                  (trained on the same BBC texts, bigrams, 25 epochs)
  --against REV   the brief rate of this tree and of git revision REV (a temporary worktree), each in its
                  own process on CPU time, in alternating order: their ratio is what a busy or noisy host
                  leaves steady, so "the brief is no slower than at REV" can be checked anywhere (with
                  --against only this comparison runs)
Archive scoring (workers, per-stage time, memory, Ray) is bench/score.py.

Usage: python bench/speed.py [--data DIR] [--repeats 7] [--against REV [--rounds 6]]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))

from _data import data_dir, jsonl

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "data" / "article.txt"


#: As a user's install runs: with compiled bytecode (pip writes it at install time; a checkout
#: gets it on first use unless PYTHONDONTWRITEBYTECODE is set, as on our CI machines).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def whole_process(cmd: list[str], repeats: int) -> tuple[float, float]:
    """Median wall seconds and median peak RSS (MB) of a command, run `repeats` times after one warm-up.

    The time is taken on runs of their own: watching the memory of a run (a poll every 5 ms) slows it.
    """
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV, check=False)
    seconds, peaks = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
        seconds.append(time.perf_counter() - t0)
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}")
    for _ in range(max(1, repeats // 2)):
        proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
        peak = 0
        while proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                peak = max(peak, proc.memory_info().rss)
            time.sleep(0.005)
        peaks.append(peak / 2**20)
    return statistics.median(seconds), statistics.median(peaks)


def rate(fn: Callable[[], int], repeats: int) -> float:
    """Items per second of `fn` (which returns how many items it did), median of `repeats`."""
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        n = fn()
        rates.append(n / (time.perf_counter() - t0))
    return statistics.median(rates)


#: A child process's brief rate: the same articles and loop as `main`'s, on the process's CPU time.
BRIEF_PROBE = """
import json, sys, time
import numpy
from threadpoolctl import threadpool_limits
threadpool_limits(limits=1)  # after numpy is loaded: the limit reaches only libraries already loaded
from nlpkit.catalog import get_summarizer
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare
seen = {}
for line in open(sys.argv[1], encoding="utf-8"):
    row = json.loads(line)
    seen.setdefault(row["article_id"], row["text"])
articles = list(seen.values()) * 3
auto, three = get_summarizer("auto"), LengthSpec(sentences=3)
for a in articles[: len(seen)]:
    auto.summarize(prepare(a), three)
best = 0.0
for _ in range(3):
    t0 = time.process_time()
    for a in articles:
        auto.summarize(prepare(a), three)
    best = max(best, len(articles) / (time.process_time() - t0))
print(best)
"""


def brief_against(rev: str, data: Path, rounds: int) -> tuple[float, float, float]:
    """Median brief rates of this tree and of revision `rev`, and the median of their per-round ratios."""
    with tempfile.TemporaryDirectory(prefix="nlpkit-against-") as tmp:
        other = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(other), rev], cwd=ROOT, check=True)
        try:
            trees = {"this": ROOT, "other": other}
            rates: dict[str, list[float]] = {"this": [], "other": []}
            writer = str(data / "cnndm_writer" / "writer_summaries.jsonl")
            for i in range(rounds):
                for name in ("this", "other") if i % 2 == 0 else ("other", "this"):
                    env = {**ENV, "PYTHONPATH": str(trees[name])}
                    out = subprocess.run(
                        [sys.executable, "-c", BRIEF_PROBE, writer],
                        cwd=trees[name],
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    rates[name].append(float(out.stdout.strip()))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)
    ratios = [a / b for a, b in zip(rates["this"], rates["other"], strict=True)]
    return statistics.median(rates["this"]), statistics.median(rates["other"]), statistics.median(ratios)


def sumy_lexrank() -> Callable[[str], list[str]] | None:
    if importlib.util.find_spec("sumy") is None:
        return None
    from summarize import OwnTokenizer  # bench/summarize.py: sumy with nlpkit's tokenizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = OwnTokenizer()
    return lambda text: [str(s) for s in summarizer(PlaintextParser.from_string(text, tokenizer).document, 3)]


def fasttext_predictor(texts: list[str], labels: list[str]) -> Callable[[list[str]], list[str]] | None:
    if importlib.util.find_spec("fasttext") is None:
        return None
    import re
    import tempfile

    import fasttext

    path = Path(tempfile.mkdtemp()) / "train.txt"
    clean = lambda t: re.sub(r"\s+", " ", t.lower()).strip()  # noqa: E731
    path.write_text("".join(f"__label__{y} {clean(x)}\n" for x, y in zip(texts, labels, strict=True)))
    model = fasttext.train_supervised(str(path), verbose=0, thread=1, seed=0, wordNgrams=2, epoch=25, lr=1.0)
    # fastText's own predict() breaks on NumPy 2 (np.array(copy=False)); its C++ binding does not.
    return lambda Z: [model.f.predict(clean(z) + "\n", 1, 0.0, "strict")[0][1] for z in Z]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--against", metavar="REV", help="also compare the brief rate with git revision REV")
    parser.add_argument("--rounds", type=int, default=6, help="--against: runs of each tree (default 6)")
    args = parser.parse_args()
    data = data_dir(args.data)
    if args.against:
        this, other, ratio = brief_against(args.against, data, args.rounds)
        print(f"auto brief incl. prepare, articles/s of CPU time, median of {args.rounds} runs each, alternating:")
        print(f"  this tree {this:.0f}/s, {args.against} {other:.0f}/s; median per-round ratio {ratio:.3f}")
        return
    py, r = sys.executable, args.repeats
    rows: list[tuple[str, str, str, str]] = []

    def add(what: str, value: str, reference: str, ratio: str) -> None:
        rows.append((what, value, reference, ratio))
        print(f"{what:<44} {value:>18} {reference:>28} {ratio:>10}", flush=True)

    print(f"{'what':<44} {'nlpkit':>18} {'reference':>28} {'ratio':>10}")
    torch = importlib.util.find_spec("torch") is not None
    ref_s, ref_mb = whole_process([py, "-c", "import numpy"], r)
    for name, cmd in (
        ("nlpkit --help", ["-m", "nlpkit", "--help"]),
        ("nlpkit summarize data/article.txt", ["-m", "nlpkit", "summarize", str(ARTICLE)]),
        (
            f"nlpkit classify --model topic (torch {'in' if torch else 'not in'}stalled)",
            ["-m", "nlpkit", "classify", str(ARTICLE), "--model", "topic"],
        ),
    ):
        s, mb = whole_process([py, *cmd], r)
        add(name, f"{s:.3f} s {mb:.0f} MB", f"import numpy {ref_s:.3f} s {ref_mb:.0f} MB", f"{s / ref_s:.2f}x")

    # the in-process rates are per core: one thread doing the work, BLAS included (nlpkit and the peers alike).
    # numpy first: threadpoolctl limits only the libraries already loaded, and a BLAS pool left at two
    # threads spins on the other core, which doubles a process's CPU time.
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)

    from nlpkit.catalog import get_summarizer, load_model
    from nlpkit.summarizers.length import LengthSpec
    from nlpkit.text.clean import clean
    from nlpkit.text.prepare import prepare
    from nlpkit.text.segment import segment

    seen: dict[str, str] = {}
    for row in jsonl(data / "cnndm_writer" / "writer_summaries.jsonl"):
        seen.setdefault(row["article_id"], row["text"])
    articles = list(seen.values()) * 5
    auto, three = get_summarizer("auto"), LengthSpec(sentences=3)
    front = rate(lambda: sum(1 for a in articles if segment(clean(a))), r)
    brief = rate(lambda: sum(1 for a in articles if auto.summarize(prepare(a), three)), r)
    lexrank = sumy_lexrank()
    if lexrank is not None:
        sumy_rate = rate(lambda: sum(1 for a in articles[:109] if lexrank(a) is not None), max(1, r // 3))
        add(
            "clean + segment, articles/s (1 process)",
            f"{front:.0f}",
            f"sumy LexRank {sumy_rate:.0f}/s",
            f"{front / sumy_rate:.1f}x",
        )
        add(
            "auto brief incl. prepare, articles/s",
            f"{brief:.0f}",
            f"sumy LexRank {sumy_rate:.0f}/s",
            f"{brief / sumy_rate:.1f}x",
        )
    else:
        add("clean + segment, articles/s (1 process)", f"{front:.0f}", "sumy not installed", "-")
        add("auto brief incl. prepare, articles/s", f"{brief:.0f}", "sumy not installed", "-")

    bbc = list(jsonl(data / "bbc" / "bbc.jsonl"))
    texts, labels = [f"{b['title']}\n\n{b['text']}" for b in bbc], [b["label"] for b in bbc]
    topic = load_model("topic")
    ours = rate(lambda: len(topic.predict(texts[:1000], batch_size=256)), r)
    ft = fasttext_predictor(texts, labels)
    if ft is not None:
        theirs = rate(lambda: len(ft(texts[:1000])), r)
        add(
            "topic predict, texts/s (bundled model)", f"{ours:.0f}", f"fastText {theirs:.0f}/s", f"{ours / theirs:.2f}x"
        )
    else:
        add("topic predict, texts/s (bundled model)", f"{ours:.0f}", "fastText not installed", "-")
    print("\narticles: data/article.txt; brief: cnndm_writer articles x5; topic: BBC texts (first 1,000).")
    print("whole-process runs: one warm-up each, then with compiled bytecode, as an installed package runs.")
    print("in-process rates: one process, one BLAS thread (one core's work); median of the repeats.")


if __name__ == "__main__":
    main()
