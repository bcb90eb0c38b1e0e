from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlpkit.cli import app

runner = CliRunner()


def _run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_brief_of_sample_article(data_dir: Path) -> None:
    r = _run("summarize", str(data_dir / "article.txt"))
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "Harbour city votes to ban cruise ships from historic centre"
    assert len(lines) == 4 and all(line.startswith("  • ") for line in lines[1:])


def test_json_lines_for_jsonl_input_in_order(data_dir: Path) -> None:
    r = _run("summarize", str(data_dir / "articles.jsonl"), "--format", "json", "--length", "2")
    assert r.exit_code == 0
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["id"] for row in rows] == ["n1", "n2", "n3", "n4", "n5"]
    for row in rows:
        assert set(row) >= {"id", "title", "summary", "sentences", "method", "length"}
        assert row["method"] == "auto" and row["length"] == "2" and len(row["sentences"]) == 2
        assert set(row["sentences"][0]) == {"text", "start", "end", "score", "index"}


def test_json_offsets_index_the_article_as_read(data_dir: Path, tmp_path: Path) -> None:
    # a headline line, a byline and a wire dateline come off before the story: the offsets still index the file
    story = (
        "Council bans cruise ships\n\nBy Jane Doe\n\n"
        "  WASHINGTON \u2014 The city   council voted on Monday to ban large cruise ships from the harbour. "
        "Operators of the ships said they would appeal the ban in court.\n"
    )
    path = tmp_path / "story.txt"
    path.write_text(story, encoding="utf-8")
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"id": "r1", "title": "Council bans cruise ships", "text": story}) + "\n")
    for source in (path, rows, data_dir / "articles.jsonl"):
        r = _run("summarize", str(source), "--format", "json", "--length", "2")
        assert r.exit_code == 0, r.stderr
        texts = (
            [story]
            if source != data_dir / "articles.jsonl"
            else [json.loads(line)["text"] for line in (data_dir / "articles.jsonl").read_text().splitlines()]
        )
        for row, text in zip((json.loads(line) for line in r.stdout.splitlines()), texts, strict=True):
            for s in row["sentences"]:
                assert text[s["start"] : s["end"]] == s["text"], (source, s)
    first = json.loads(_run("summarize", str(path), "--format", "json", "--length", "1").stdout)["sentences"][0]
    assert first["start"] > story.index("WASHINGTON") and first["text"].startswith("The city   council")


def test_text_and_markdown(data_dir: Path) -> None:
    text = _run("summarize", str(data_dir / "article.txt"), "-f", "text", "-l", "1").stdout
    assert text.count("\n") == 1 and text.startswith("Councillors in Porto Velho")
    md = _run("summarize", str(data_dir / "article.txt"), "-f", "markdown").stdout
    assert md.startswith("## Harbour city votes") and md.count("\n- ") == 3


def test_stdin(data_dir: Path) -> None:
    r = _run("summarize", "-", input=(data_dir / "scraped.txt").read_text())
    assert r.exit_code == 0
    assert r.stdout.startswith("Rail fares to rise by 4.9% in March\n")
    assert "comment" not in r.stdout.lower()


def test_stdin_is_read_as_what_it_holds(data_dir: Path, tmp_path: Path) -> None:
    jsonl = (data_dir / "articles.jsonl").read_text()
    titles = [json.loads(line)["title"] for line in jsonl.splitlines()]
    r = _run("summarize", "-", "--length", "1", input=jsonl)
    assert r.exit_code == 0, r.output
    assert [line for line in r.stdout.splitlines() if line and not line.startswith("  ")] == titles
    assert '"id"' not in r.stdout
    pretty = json.dumps(json.loads(jsonl.splitlines()[0]), indent=2)  # one object over several lines, as `jq .` prints
    r = _run("summarize", "-", "--length", "1", input=pretty)
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == titles[0], r.output
    whole = _run("summarize", "-", "--length", "1", "--stdin-format", "txt", input=jsonl)
    assert whole.exit_code == 0 and whole.stdout.count("  • ") == 1  # one article, as asked
    html = _run("summarize", "-", "--length", "1", input=(data_dir / "article.html").read_text())
    assert html.stdout.startswith("Wind farm to power 300,000 homes approved\n")
    headlines = "Bank shares fall after profit warning\n\nStriker signs new five-year deal\n"
    r = _run("classify", "-", "--stdin-format", "lines", input=headlines)
    assert r.exit_code == 0, r.output
    assert [line.split("\t")[:2] for line in r.stdout.splitlines()] == [
        ["<stdin>:1", "business 1.000"],
        ["<stdin>:3", "sport 0.949"],
    ]
    out = tmp_path / "scores.jsonl"
    r = _run("score", "-", "--out", str(out), "--tasks", "topic", "-w", "1", "-q", input=jsonl)
    assert r.exit_code == 0, r.output
    assert [json.loads(line)["title"] for line in out.read_text().splitlines()] == titles
    from nlpkit.io.paths import STDIN_FORMATS

    shown = " ".join(_run("summarize", "--help").stdout.split())  # the help lists every format by name
    told = shown.split("--stdin-format", 1)[1].split("[default")[0]
    assert [name for name in STDIN_FORMATS if not re.search(rf"\b{name}\b", told)] == []
    r = _run("summarize", "-", "--stdin-format", "xml", input=jsonl)
    assert r.exit_code == 2 and "'xml' is not one of auto, txt, lines" in r.stderr


def test_a_markdown_post_is_briefed_without_its_markup(tmp_path: Path) -> None:
    from tests.conftest import MARKDOWN

    (tmp_path / "post.md").write_text(MARKDOWN, encoding="utf-8")
    r = _run("summarize", str(tmp_path / "post.md"))
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "Council bans cruise ships",
        "  • The council voted on Monday to ban cruise ships from the harbour.",
        "  • Traders said the ban would cost them millions.",
        "  • Ships over 1,000 passengers are banned.",
    ]
    out = tmp_path / "scores.jsonl"
    r = _run("score", str(tmp_path / "post.md"), "--out", str(out), "--tasks", "brief", "-w", "1", "-q")
    assert r.exit_code == 0 and json.loads(out.read_text())["title"] == "Council bans cruise ships"


def test_an_e_mail_piped_in_by_a_mail_filter_is_briefed() -> None:
    mail = (
        "Return-Path: <brief@example.org>\nFrom: Morning Brief <brief@example.org>\nSubject: Rates held\n"
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n<html><body><p>The central bank held rates "
        "at 4% on Thursday.</p><p>Markets rose after the decision.</p></body></html>\n"
    )
    for extra in ([], ["--stdin-format", "eml"]):
        r = _run("summarize", "-", "--length", "1", *extra, input=mail)
        assert r.exit_code == 0, r.output
        assert r.stdout.splitlines() == ["Rates held", "  • The central bank held rates at 4% on Thursday."]


@pytest.mark.skipif(sys.platform == "win32", reason="closes file descriptor 0")
@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_table_on_stdin_is_read_by_its_header(sep: str) -> None:
    # `csvcut ... | nlpkit summarize -` used to brief the header and each row's cells as one text article.
    rows = [
        ["id", "title", "text"],
        ["b1", "Bridge shut", "A major bridge was closed on Monday. Drivers face diversions."],
    ]
    rows.append(["b2", "Striker signs", "The striker signed a new five-year deal on Friday. Fans cheered."])
    table = "".join(sep.join(f'"{c}"' if " " in c and sep != "\t" else c for c in row) + "\n" for row in rows)
    r = _run("summarize", "-", "--length", "1", input=table)
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == [
        "Bridge shut",
        "  • A major bridge was closed on Monday.",
        "",
        "Striker signs",
        "  • The striker signed a new five-year deal on Friday.",
    ]
    story = "id, title and text: what a story's first line may be, when it is prose. It goes on."
    r = _run("summarize", "-", "--length", "1", input=story)
    assert r.exit_code == 0 and "• id, title and text" in r.stdout


def test_closed_stdin_is_one_clear_error() -> None:
    import os

    r = subprocess.run(
        [sys.executable, "-m", "nlpkit", "summarize", "-"],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.close(0),
    )
    assert r.returncode == 1 and r.stderr == "nlpkit: error: <stdin>: standard input is closed; pipe the articles in\n"


def test_stdin_that_comes_slowly_is_still_read_as_jsonl(data_dir: Path) -> None:
    import time

    data = (data_dir / "articles.jsonl").read_bytes()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlpkit", "classify", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=False
    )
    assert proc.stdin is not None
    proc.stdin.write(data[:1])  # a producer that writes its first byte alone: the format is told from a whole line
    proc.stdin.flush()
    time.sleep(0.5)  # not a timing check: only makes it likely that nlpkit looks before the rest comes
    out, _ = proc.communicate(data[1:])
    ids = [line.split(b"\t")[0] for line in out.splitlines()]
    assert proc.returncode == 0 and ids == [b"n1", b"n2", b"n3", b"n4", b"n5"]


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_typing_at_a_terminal_is_told_how_to_end() -> None:
    import os
    import pty
    import select

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlpkit", "summarize", "-", "--length", "1"],
        stdin=slave,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(slave)
    try:
        assert proc.stderr is not None
        # the hint comes at start-up; without it the command would wait on the terminal for good, so the wait
        # is bounded (far above any start-up) to fail rather than hang
        assert select.select([proc.stderr], [], [], 300)[0], "no hint on stderr: the user is left waiting"
        assert "Ctrl-D" in proc.stderr.readline()
        os.write(master, b"Oil prices rise\n\nOil rose by 2% after the talks failed. Traders cited fears.\n\x04")
        out, _ = proc.communicate()
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and out == "Oil prices rise\n  • Oil rose by 2% after the talks failed.\n"


def test_one_bad_input_does_not_stop_the_others(data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    r = _run("summarize", str(empty), str(tmp_path / "missing.txt"), str(tmp_path), str(data_dir / "article.txt"))
    assert r.exit_code == 1
    assert "Harbour city votes" in r.stdout
    assert f"{empty}: empty article" in r.stderr
    assert "missing.txt: no such file or folder" in r.stderr
    assert "Traceback" not in r.output


def test_bad_length_is_a_usage_error(data_dir: Path) -> None:
    r = _run("summarize", str(data_dir / "article.txt"), "--length", "lots")
    assert r.exit_code == 2 and "is not a length" in r.stderr


def test_unknown_method(data_dir: Path) -> None:
    r = _run("summarize", str(data_dir / "article.txt"), "--method", "magic")
    assert r.exit_code == 2 and "known: abstractive, auto, centroid, lead, lexrank, textrank" in r.stderr


def test_binary_and_invalid_utf8(tmp_path: Path) -> None:
    b = tmp_path / "b.txt"
    b.write_bytes(b"\x00\xff\x00binary")
    r = _run("summarize", str(b))
    assert r.exit_code == 1 and "binary file" in r.stderr
    latin = tmp_path / "l.txt"
    latin.write_bytes("Le café a fermé. Les clients sont partis.".encode("latin-1"))
    r = _run("summarize", str(latin))
    assert r.exit_code == 0 and "café" in r.stdout and "not valid UTF-8" in r.stderr


def test_malformed_jsonl_line_is_named(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"text": "Fine article here."}\n{broken\n')
    r = _run("summarize", str(p), "-f", "text")
    assert r.exit_code == 1
    assert r.stdout.strip() == "Fine article here."
    assert f"{p}:2: not a JSON object" in r.stderr


def test_50mb_text_file(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    sentence = "The council met on Tuesday to discuss the budget for the coming year. "
    with p.open("w") as f:
        for _ in range(50 * 1024 * 1024 // len(sentence) + 1):
            f.write(sentence)
    r = _run("summarize", str(p), "-f", "json")
    assert r.exit_code == 0
    assert "only the first" in r.stderr
    assert len(json.loads(r.stdout)["sentences"]) >= 1


def test_python_m_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "nlpkit", "--help"], capture_output=True, text=True, check=True)
    for command in ("summarize", "evaluate"):
        assert command in out.stdout


@pytest.mark.parametrize("length", ["3", "1"])  # one sentence: the bundled scorer's trees, numpy only
def test_a_local_brief_imports_only_what_it_uses(data_dir: Path, length: str) -> None:
    """`nlpkit summarize FILE` is start-up time: no page fetcher or HTML parser for a text file, no model library,
    no `click` beside the copy of it that typer carries (30 ms), and none of the word patterns for other scripts
    compiled (10 ms) for an English article."""
    code = (
        "import sys\n"
        "from nlpkit.cli import main\n"
        f"try:\n    main(['summarize', {str(data_dir / 'article.txt')!r}, '--length', {length!r}])\n"
        "except SystemExit:\n    pass\n"
        "heavy = ('nlpkit.io.web', 'nlpkit.io.html', 'html.parser', 'urllib3', 'sklearn', 'scipy', 'torch', 'click')\n"
        "from nlpkit.text.tokens import _compiled\n"
        "print(sorted(k for k in heavy if k in sys.modules) + [_compiled.cache_info().currsize], file=sys.stderr)"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "Harbour city votes" in r.stdout, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "[0]"
