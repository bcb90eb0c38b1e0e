"""Defects a reader notices in briefs, counted on 1,000 briefs of two sets, with examples.

Data (../shared/data or --data): cnndm_train/pairs.jsonl (CNN/DailyMail articles, cased) and
bbc_summary (BBC articles with their headlines); the first --limit articles of each (default 1000).
cnndm_dailymail: the 73 Daily Mail pairs (bench/_data.py's `is_mail`, most of them after the first
1,000), in the dataset's text form -- 29 open with the byline header "By . Name . PUBLISHED: .
03:53 EST, 23 July 2013 . | . UPDATED: ..." -- the form of most public CNN/DailyMail test articles.

Each brief (3 sentences, or --length) is checked by rules written here, apart from nlpkit's own:
  unbalanced quote   a bullet with an odd number of straight double quotes, or more opening than closing curly ones,
                     or one that opens with a single quote ('There were ...) and has no quote mark ending a word
  caption            a short bullet (<= 12 words) of the form "Label: caption", or a photo/picture credit, or a
                     longer one behind a label in sentence case or capitals ("Keeping the faith: A man prays ...",
                     "VERDICT: ...") that is not a speaker's ("She added: ...", "Mr Letwin told MPs: ...")
  link line          "Read more", "Click here", "Scroll down", "Watch the video", "Follow @...", "Sorry we are
                     not currently accepting comments on this article", ...
  notice             an editor's note, "The opinions expressed in this commentary are solely those of ...", "The
                     content is produced solely by The Conversation", "E-mail to a friend", "Read this: ...",
                     "All rights reserved.", "Copyright 2007 CNN.", "CNN's Dan Rivers contributed to this report."
  connective opener  the first bullet opens with But, However, And, Yet, So, Also, Meanwhile, ...
  pronoun opener     the first bullet opens with He, She, They, It, His, Her, This, ...
  headline repeat    a bullet with the headline's words (80 % of them, both ways)
  no full stop       a bullet that does not end as a sentence does (a subheading, a linked story's headline,
                     a caption line of the CNN/DailyMail dataset's form, which ends in a spaced " .")
  stamp or byline    a time stamp with its date ("03:53 EST, 23 July 2013"), "PUBLISHED:"/"UPDATED:", or a
                     byline ("By Deni Kirkova")
  signpost           a bullet that points at what follows ("Here are the main points.", "Here's what we know")
  no words           a bullet with no letter ("2.", ".", "5:17).")
  list marker        a bullet that starts with the article's list marker ("- ", "1. ", "• ")
Targets (issue): 0 unbalanced quotes, 0 captions, <= 2 % connective openers.

Usage: python bench/briefs.py [--data DIR] [--limit N] [--examples K] [--length 60w]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _data import PreviousAuto, data_dir, is_mail, jsonl

from nlpkit.catalog import get_summarizer
from nlpkit.summarizers.length import LengthSpec
from nlpkit.text.prepare import prepare

CONNECTIVE = re.compile(
    r"^\W*(but|however|and|yet|so|also|still|meanwhile|moreover|furthermore|instead|nevertheless|then|"
    r"therefore|thus|besides|or|nor)\b",
    re.IGNORECASE,
)
PRONOUN = re.compile(r"^\W*(he|she|they|it|his|her|their|its|this|these|those|him|them)\b", re.IGNORECASE)
CAPTION = re.compile(r"^\W?[A-Z][\w'’-]*(\s+[\w'’-]+){0,3}:\s")
#: A longer bullet behind a label in sentence case or capitals ("Keeping the faith: A man prays ...",
#: "VERDICT: You can't ..."), unless the label opens prose or a quotation ("She added: ...", "Mr Letwin told MPs:").
LONG_CAPTION = re.compile(r"^([A-Z][\w'’-]*(?: [a-z][\w'’-]*){0,3}|[A-Z][A-Z'’-]+): [\"'‘“]?[A-Z]")
NOT_LABEL = re.compile(
    r"^(the|a|an|this|that|there|here|it|he|she|they|we|i|you|his|her|their|but|and|so|if|when|as|what|one|with|"
    r"mr|mrs|ms|dr)\b|\b(said|says|added|adds|adding|told|tells|asked|wrote|writes|tweeted|continued|explained|"
    r"replied|agreed|insisted|argued|claimed|warned|admitted|recalled|reflected|described|reads?)\b",
    re.IGNORECASE,
)
CREDIT = re.compile(r"^\W*(photo|picture|image)s?\s*(credit)?\s*:|\((getty|reuters|afp|ap|pa)\b[^)]*\)\s*$", re.I)
LINK = re.compile(
    r"^\W*(read more|click here|scroll down|watch the video|see more|share this|sign up|follow @|"
    r"sorry,? we are not currently accepting comments)",
    re.I,
)
NOTICE = re.compile(
    r"^\W*(editor's note|the (opinions|views) expressed .{0,30}\b(solely|entirely) th|the content is produced solely|"
    r"cnn is showcasing|e-?mail to a friend|read this:|all rights reserved|copyright \d{4}|©|"
    r"[\w .,'’-]{0,80} contributed to this (report|story)|(reporting|editing) by )",
    re.I,
)
SIGNPOST = re.compile(
    r"^\W*(here's|here’s|here is|here are) (what|how|why|a look|some|the main|the key|\d+|five)\b", re.I
)
LETTER = re.compile(r"[^\W\d_]")
MARKER = re.compile(r"^\s*([-*•·▪–—]|\d{1,3}[.)])\s")
WORD = re.compile(r"[^\W\d_]+")
SINGLE_OPEN = re.compile(r"['\u2018][^\W\d_]")
SINGLE_CLOSE = re.compile(r"[^\s]['\u2019](?=[\s,.;:!?)]|$)")
ENDS = re.compile(r"(?:[^ ]\.|[!?\u2026])[\"'\u201d\u2019)\]]*$|[\"'\u201d\u2019)\]]$")
STAMP = re.compile(
    r"\b\d{1,2}:\d{2}\s*(?:[AP]M\s*)?(?:EST|EDT|GMT|BST|ET),?\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|"
    r"^\W*(?:PUBLISHED|UPDATED|Last updated)\b|^By(?:\s+[A-Z][\w'-]*){1,5}\s*\.?$"
)


#: Kinds a bullet has when it starts as the pattern does.
OPENING_KINDS = [("link line", LINK), ("notice", NOTICE), ("signpost", SIGNPOST), ("list marker", MARKER)]


def defects(bullets: list[str], title: str) -> list[str]:
    found = []
    for i, b in enumerate(bullets):
        if b.count('"') % 2 or b.count("“") > b.count("”") or (SINGLE_OPEN.match(b) and not SINGLE_CLOSE.search(b, 1)):
            found.append("unbalanced quote")
        long_caption = LONG_CAPTION.match(b)
        if (
            (len(b.split()) <= 12 and CAPTION.match(b) and '"' not in b)
            or CREDIT.search(b)
            or (long_caption and not NOT_LABEL.search(long_caption.group(1)))
        ):
            found.append("caption")
        found += [kind for kind, pattern in OPENING_KINDS if pattern.match(b)]
        if i == 0 and CONNECTIVE.match(b):
            found.append("connective opener")
        if i == 0 and PRONOUN.match(b):
            found.append("pronoun opener")
        if not ENDS.search(b.rstrip()):
            found.append("no full stop")
        if STAMP.search(b):
            found.append("stamp or byline")
        if not LETTER.search(b):
            found.append("no words")
        tw, bw = {w.lower() for w in WORD.findall(title)}, {w.lower() for w in WORD.findall(b)}
        if tw and bw and len(tw & bw) >= 0.8 * max(len(tw), len(bw)):
            found.append("headline repeat")
    return found


KINDS = [
    *("unbalanced quote", "caption", "link line", "notice", "connective opener", "pronoun opener"),
    "headline repeat",
    *("no full stop", "stamp or byline", "signpost", "no words", "list marker"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="reference data folder (default: ../shared/data or $NLPKIT_DATA)")
    parser.add_argument("--limit", type=int, default=1000, help="articles per set (default 1000)")
    parser.add_argument("--examples", type=int, default=2, help="examples to print per system and defect")
    parser.add_argument("--length", default="3", help="brief length: sentences (3, the default) or words (60w)")
    args = parser.parse_args()
    data = data_dir(args.data)
    pairs = list(jsonl(data / "cnndm_train" / "pairs.jsonl"))
    sets = {
        "cnndm_train": [(r["text"], "") for r in pairs][: args.limit],
        "cnndm_dailymail": [(r["text"], "") for r in pairs if is_mail(r)][: args.limit],
        "bbc_summary": [(r["text"], r["title"]) for r in jsonl(data / "bbc_summary" / "bbc_summary.jsonl")][
            : args.limit
        ],
    }
    systems = {
        "auto (default)": get_summarizer("auto"),
        "previous auto": PreviousAuto(),
        "lead-3": get_summarizer("lead"),
        "textrank": get_summarizer("textrank"),
        "lexrank": get_summarizer("lexrank"),
    }
    length = LengthSpec.parse(args.length)
    print(f"defects in briefs of length {length} (% of briefs with at least one of the kind; first bullet for openers)")
    print(f"{'set':<15} {'system':<16} " + " ".join(f"{k:>17}" for k in KINDS))
    for set_name, items in sets.items():
        docs = [(prepare(t, title=title or None), title) for t, title in items]
        for name, summarizer in systems.items():
            counts: dict[str, int] = defaultdict(int)
            examples: dict[str, list[str]] = defaultdict(list)
            for doc, title in docs:
                bullets = [s.text for s in summarizer.summarize(doc, length).sentences]
                for kind in set(defects(bullets, title or doc.title)):
                    counts[kind] += 1
                    if len(examples[kind]) < args.examples:
                        examples[kind].append(" | ".join(b[:90] for b in bullets[:2]))
            row = " ".join(f"{counts[k]:>6} ({100 * counts[k] / len(docs):5.1f}%)" for k in KINDS)
            print(f"{set_name:<15} {name:<16} {row}", flush=True)
            if name == "auto (default)":
                for kind in KINDS:
                    for ex in examples[kind]:
                        print(f"{'':<15}   e.g. {kind}: {ex}")


if __name__ == "__main__":
    main()
