"""ROUGE and speed of nlpkit's summarizers against Lead-3 and sumy, on real news.

Data (from ../shared/data or --data):
  cnndm_writer  109 CNN/DM articles with 1-several short writer briefs (multi-reference,
                best reference per article counts)
  cnndm_train_heldout  the 10 % of cnndm_train/pairs.jsonl that no trained scorer sees (bench/_data.py)
  cnndm_train_cnn  all 1,522 CNN articles of cnndm_train/pairs.jsonl, at 3 sentences, by the methods that train
                nothing: the largest sample of highlights here (trained scorers learn from most of it)
  cnndm_dailymail  the 73 Daily Mail articles of cnndm_train/pairs.jsonl, in the dataset's text form
                (bylines and time stamps, " ." after lines that had no stop): the form and outlet of
                most public CNN/DM test articles, which the other CNN/DM sets (mostly CNN) miss. Most
                of them are in a trained scorer's training part: compare methods that are not trained.
  bbc_summary   2,225 BBC articles with long extractive references: reported at 3 sentences
                and at the reference's own sentence count
  bbc_lede      the first 1,000 of those BBC articles made the way XSum was made: the first
                sentence (the lede) is the one-sentence reference, the rest of the body the article,
                no headline; reported at 1 sentence only (Lead-1 is then the article's second sentence)
CNN/DM sets are also scored at 1 sentence (beside Lead-1), where `auto` hears the bundled one-sentence
scorer (models/one-sentence, trained on none of these articles) and "auto no scorer" is auto's own pick.
"R-1 vs lead": each system's ROUGE-1 minus the lead's (Lead-3, Lead-1) on the same articles, with the
standard error of that mean: a gain within about two standard errors of zero may not hold on other news.
"defects": briefs with an unbalanced quote, a caption, a link line, a publisher's notice, a connective or
pronoun opener, the headline again, a line with no full stop, or a time stamp or byline (bench/briefs.py).
sumy gets a tokenizer of our own (its default wants NLTK data that cannot be downloaded).

Usage: python bench/summarize.py [--data DIR] [--limit N] [--sets cnndm_writer,bbc_summary]
                                 [--trained DIR ...] [--abstractive MODEL ...]
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _data import PreviousAuto, cnndm_pairs_split, data_dir, is_mail, jsonl
from briefs import defects

from nlpkit.catalog import get_summarizer
from nlpkit.metrics import paired_gain, rouge_each, rouge_means
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare
from nlpkit.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
NLPKIT_METHODS = ["auto", "lead", "textrank", "lexrank", "centroid"]
UNSCORED = "nlpkit auto no scorer"

# (article text, title, references, reference sentence count)
Item = tuple[str, str, list[str], int]
System = Callable[[str, str, int], list[str]]


class OwnTokenizer:
    """sumy's tokenizer interface backed by nlpkit's segmenter and a plain word regex."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(s.text for s in segment(paragraph).sentences)

    def to_words(self, sentence: str) -> tuple[str, ...]:
        import re

        return tuple(re.findall(r"[^\W_]+(?:'[^\W_]+)?", sentence))


def sumy_system(name: str) -> System | None:
    try:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError:
        return None
    cls = {"lexrank": LexRankSummarizer, "textrank": TextRankSummarizer, "lsa": LsaSummarizer}[name]
    summarizer = cls(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = OwnTokenizer()

    def run(text: str, title: str, k: int) -> list[str]:
        parser = PlaintextParser.from_string(text, tokenizer)
        return [str(s) for s in summarizer(parser.document, k)]

    return run


def nlpkit_system(method: Any, **options: float) -> System:
    """A summarizer by name (with options, e.g. auto's weights), or a summarizer object, as a bench system:
    raw text in, sentences out."""
    if not isinstance(method, str):
        summarizer = method
    else:
        summarizer = PreviousAuto() if method == "previous auto" else get_summarizer(method, **options)

    def run(text: str, title: str, k: int) -> list[str]:
        doc = prepare(text, title=title or None)
        return [s.text for s in summarizer.summarize(doc, LengthSpec(sentences=k)).sentences]

    return run


def unscored_auto() -> System:
    """`auto` with the bundled one-sentence scorer's weight at 0: a one-sentence brief from auto's own scores
    (the two differ only at one sentence)."""
    return nlpkit_system("auto", one_sentence_blend=0.0)


GUARD: dict[str, list[int]] = {}  # abstractive system -> [sentences, sentences flagged]


def abstractive_system(model: str) -> System:
    """A seq2seq model through `--method abstractive`; counts what the faithfulness guard flags."""
    summarizer = get_summarizer("abstractive", model=model)
    counts = GUARD.setdefault(f"abstractive {Path(model).name}", [0, 0])

    def run(text: str, title: str, k: int) -> list[str]:
        summary = summarizer.summarize(prepare(text, title=title or None), LengthSpec(sentences=k))
        counts[0] += len(summary.sentences)
        counts[1] += len({u.sentence for u in summary.unsupported})
        return [s.text for s in summary.sentences]

    return run


def load(data: Path, limit: int | None) -> dict[str, list[Item]]:
    groups: dict[str, list] = collections.OrderedDict()
    for r in jsonl(data / "cnndm_writer" / "writer_summaries.jsonl"):
        groups.setdefault(r["article_id"], [r["text"], "", []])[2].append(r["summary"])
    cnn = [(t, title, refs, 3) for t, title, refs in groups.values()]
    rows = list(jsonl(data / "bbc_summary" / "bbc_summary.jsonl"))
    bbc = [(r["text"], r["title"], [r["summary"]], len(segment(r["summary"]).sentences)) for r in rows]
    lede = ledes(rows[:LEDE_ROWS])
    _, held = cnndm_pairs_split(data)
    pairs = [(r["text"], "", [r["summary"]], 3) for r in held]
    mail = [(r["text"], "", [r["summary"]], 3) for r in jsonl(data / "cnndm_train" / "pairs.jsonl") if is_mail(r)]
    return {
        "cnndm_writer": cnn[:limit],
        "cnndm_train_heldout": pairs[:limit],
        "cnndm_dailymail": mail[:limit],
        "bbc_summary": bbc[:limit],
        "bbc_lede": lede[:limit],
    }


#: The 1,522 CNN pairs of cnndm_train/pairs.jsonl, training part and held-out part: the largest sample here of
#: CNN/DailyMail articles with highlights, so a gain measured on it has about a third of the held-out pairs'
#: standard error. Trained scorers learn from its training part, so it is briefed at 3 sentences only (where
#: the default trains nothing) and only by the methods that train nothing.
TRAINING_PAIRS = "cnndm_train_cnn"


def training_pairs(data: Path, limit: int | None) -> list[Item]:
    """`TRAINING_PAIRS`: the CNN articles of cnndm_train/pairs.jsonl (the Daily Mail ones are cnndm_dailymail)."""
    rows = jsonl(data / "cnndm_train" / "pairs.jsonl")
    return [(r["text"], "", [r["summary"]], 3) for r in rows if not is_mail(r)][:limit]


#: bbc_lede is made from the first rows of bbc_summary; bench/one_sentence.py chooses settings on the rows after them.
LEDE_ROWS = 1000


def ledes(rows: list[dict]) -> list[Item]:
    """BBC articles made one-sentence the way XSum was: the lede is the reference, the rest of the body the
    article, no headline (articles of fewer than four sentences are left out)."""
    items: list[Item] = []
    for r in rows:
        sentences = segment(r["text"]).sentences
        if len(sentences) >= 4:
            items.append((r["text"][sentences[0].end :].strip(), "", [sentences[0].text], 1))
    return items


#: The lengths each set is reported at (sentences; None: the reference's own count).
LENGTHS: dict[str, list[tuple[str, int | None]]] = {
    "bbc_summary": [("3 sentences", 3), ("reference's sentence count", None)],
    "bbc_lede": [("1 sentence", 1)],
    TRAINING_PAIRS: [("3 sentences, methods that train nothing", 3)],
}
CNNDM_LENGTHS: list[tuple[str, int | None]] = [("3 sentences", 3), ("1 sentence", 1)]
#: The column of each system's ROUGE-1 gain over the lead (`versus`).
VERSUS = "R-1 vs lead"


def lines(text: str) -> str:
    return "\n".join(s.text for s in segment(text).sentences)


def evaluate(system: System, items: list[Item], k: int | None) -> tuple[dict[str, float], float, float]:
    """ROUGE at `k` sentences (None: the reference's own count), articles/s, and the share of briefs with a
    defect a reader notices (bench/briefs.py's checks)."""
    scores, rate, flawed, _ = evaluate_each(system, items, k)
    return scores, rate, flawed


def evaluate_each(
    system: System, items: list[Item], k: int | None
) -> tuple[dict[str, float], float, float, dict[str, list[float]]]:
    """`evaluate`, and each article's ROUGE F1 (for a paired comparison with another system: `versus`)."""
    t0 = time.perf_counter()
    briefs = [system(t, title, n if k is None else k) for t, title, _, n in items]
    rate = len(items) / (time.perf_counter() - t0)
    flawed = sum(1 for b, (_, title, _, _) in zip(briefs, items, strict=True) if defects(b, title))
    preds = ["\n".join(b) for b in briefs]
    each = rouge_each(preds, [[lines(r) for r in refs] for _, _, refs, _ in items])
    return rouge_means(each), rate, flawed / max(1, len(items)), each


def versus(each: dict[str, list[float]], lead: dict[str, list[float]]) -> str:
    """ROUGE-1 minus the lead's over the same articles, x100, with its standard error: "+0.78±0.52"."""
    gain, se = paired_gain(each["rouge1"], lead["rouge1"])
    return f"{100 * gain:+.2f}±{100 * se:.2f}"


def whole_process(article: Path, repeats: int = 7) -> tuple[float, float]:
    sumy_script = """
import re, sys
from sumy.nlp.stemmers import Stemmer
from sumy.parsers.plaintext import PlaintextParser
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.utils import get_stop_words
class Tok:
    language = "english"
    def to_sentences(self, p):
        return tuple(s for s in re.split(r"(?<=[.!?])\\s+(?=[A-Z\\"'])", p) if s.strip())
    def to_words(self, s):
        return tuple(re.findall(r"[^\\W_]+", s))
s = LexRankSummarizer(Stemmer("english")); s.stop_words = get_stop_words("english")
doc = PlaintextParser.from_string(open(sys.argv[1], encoding="utf-8").read(), Tok()).document
for sentence in s(doc, 3): print(sentence)
"""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(sumy_script)
    ours = [sys.executable, "-m", "nlpkit", "summarize", str(article)]
    theirs = [sys.executable, f.name, str(article)]

    def median(cmd: list[str]) -> float:
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        return statistics.median(times)

    return median(ours), median(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--limit", type=int, help="use only the first N articles of each set")
    parser.add_argument(
        "--trained", action="append", default=[], help="a trained summarizer folder to add (repeatable)"
    )
    parser.add_argument(
        "--abstractive", action="append", default=[], help="a seq2seq model (folder or Hub id) to add (repeatable)"
    )
    parser.add_argument(
        "--sets",
        default=f"cnndm_writer,cnndm_train_heldout,cnndm_dailymail,{TRAINING_PAIRS},bbc_summary,bbc_lede",
        help="data sets to run, comma-separated",
    )
    args = parser.parse_args()
    data = data_dir(args.data)
    sets = {k: v for k, v in load(data, args.limit).items() if k in args.sets.split(",")}
    if TRAINING_PAIRS in args.sets.split(","):
        sets[TRAINING_PAIRS] = training_pairs(data, args.limit)
    systems: dict[str, System] = {
        f"nlpkit {m}": nlpkit_system(m) for m in [*NLPKIT_METHODS, "previous auto", *args.trained]
    }
    systems[UNSCORED] = unscored_auto()
    systems |= {f"abstractive {Path(m).name}": abstractive_system(m) for m in args.abstractive}
    learnt = {f"nlpkit {m}" for m in args.trained} | {f"abstractive {Path(m).name}" for m in args.abstractive}
    for name in ("lexrank", "textrank", "lsa"):
        system = sumy_system(name)
        if system is None:
            print(f"sumy not installed: sumy {name} skipped")
        else:
            systems[f"sumy {name}"] = system
    for set_name, items in sets.items():
        for label, k in LENGTHS.get(set_name, CNNDM_LENGTHS):
            print(f"\n{set_name}: {len(items)} articles, {label}; ROUGE F1 x100 (rouge-score, stemming)")
            print(f"{'system':<22} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7} {'articles/s':>11} {'defects':>8} {VERSUS:>13}")
            lead = evaluate_each(systems["nlpkit lead"], items, k)[3]
            for name, system in systems.items():
                if (name == UNSCORED and k != 1) or (set_name == TRAINING_PAIRS and name in learnt):
                    continue  # auto no scorer: the same as auto but at one sentence
                scores, rate, flawed, each = evaluate_each(system, items, k)
                shown = name.replace("nlpkit lead", f"nlpkit lead-{k}") if k else name
                print(
                    f"{shown:<22} {100 * scores['rouge1']:6.2f} {100 * scores['rouge2']:6.2f} "
                    f"{100 * scores['rougeLsum']:7.2f} {rate:11.0f} {100 * flawed:7.1f}% {versus(each, lead):>13}",
                    flush=True,
                )
    print(f"\n{VERSUS}: ROUGE-1 minus the lead's at the same length, per article, mean ± its standard error")
    for name, (total, flagged) in GUARD.items():
        print(f"\n{name}: {flagged} of {total} generated sentences had unsupported numbers, quotes or names")
    ours, theirs = whole_process(ROOT / "data" / "article.txt")
    print("\nwhole process, one article (data/article.txt), median of 7 runs:")
    print(f"  nlpkit summarize (auto): {ours:.3f} s")
    print(f"  sumy LexRank script:     {theirs:.3f} s   (ratio {theirs / ours:.1f}x)")


if __name__ == "__main__":
    main()
