from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest

import nlpkit
from nlpkit.errors import InputError
from nlpkit.io.decoding import decode
from nlpkit.io.paths import detect_format
from nlpkit.io.readers import Fields, read_articles
from nlpkit.records import article_meta
from nlpkit.types import Article, Failure


def _read(*paths: Path | str, **kw: object) -> list[Article | Failure]:
    return list(read_articles([str(p) for p in paths], **kw))  # type: ignore[arg-type]


def test_text_file(data_dir: Path) -> None:
    (a,) = _read(data_dir / "article.txt")
    assert isinstance(a, Article)
    assert a.text.startswith("Harbour city votes")
    assert a.id == a.source == str(data_dir / "article.txt")


def test_html_page_is_reduced_to_main_text(data_dir: Path) -> None:
    (a,) = _read(data_dir / "article.html")
    assert isinstance(a, Article)
    assert a.title.startswith("Wind farm to power 300,000 homes approved")
    assert "offshore wind farm" in a.text
    for furniture in ("Home |", "Most read", "About time too", "All rights reserved"):
        assert furniture not in a.text


def test_markdown_loses_its_markup_and_gives_its_headline(tmp_path: Path) -> None:
    from nlpkit.io.markdown import markdown_article
    from tests.conftest import MARKDOWN

    (tmp_path / "post.md").write_text(MARKDOWN, encoding="utf-8")
    (a,) = _read(tmp_path / "post.md")
    assert isinstance(a, Article) and a.title == "Council bans cruise ships"
    assert a.text.split("\n\n") == [
        "By Jane Doe, 3 May 2024",
        "The council voted on Monday to ban cruise ships from the harbour. The ban starts in 2027.",
        "Reaction",
        "Traders said the ban would cost them millions.",
        "Ships over 1,000 passengers are banned.",
        "A new terminal will open.",
    ]
    toml = markdown_article('+++\ntitle = "Oil rises"\n+++\n# Not the headline\n\nOil rose.')
    assert toml == ("Oil rises", "Not the headline\n\nOil rose.")
    assert markdown_article("Oil rose.\n\n# Prices\n\nTraders  \ncited fears.") == (
        "",
        "Oil rose.\n\nPrices\n\nTraders\ncited fears.",
    )  # a heading after the text is a subheading; a hard line break stays one
    with gzip.open(tmp_path / "post.markdown.gz", "wt", encoding="utf-8") as f:
        f.write(MARKDOWN)
    (z,) = _read(tmp_path / "post.markdown.gz")
    assert isinstance(z, Article) and (z.title, z.text) == (a.title, a.text)
    (tmp_path / "html.md").write_text("<div>\nOil rose by 2% on Monday.\n</div>\n", encoding="utf-8")
    (h,) = _read(tmp_path / "html.md")  # all raw HTML: read as the plain text it is, not refused as empty
    assert isinstance(h, Article) and "Oil rose by 2% on Monday." in h.text


def test_jsonl_keeps_order_and_fields(data_dir: Path) -> None:
    rows = _read(data_dir / "articles.jsonl")
    assert [r.id for r in rows] == ["n1", "n2", "n3", "n4", "n5"]
    assert isinstance(rows[0], Article) and rows[0].title == "Bakery chain to open 50 new shops"


def test_custom_field_names(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"key": "k1", "headline": "H", "body": "Body text."}) + "\n")
    (a,) = _read(p, fields=Fields(text="body", title="headline", id="key"))
    assert isinstance(a, Article) and (a.id, a.title, a.text) == ("k1", "H", "Body text.")


def test_bad_jsonl_lines_fail_alone(tmp_path: Path) -> None:
    p = tmp_path / "a.jsonl"
    p.write_text('{"text": "Good one."}\nnot json\n[1, 2]\n{"body": "x"}\n{"text": 5}\n\n{"text": "Good two."}\n')
    rows = _read(p)
    kinds = [type(r).__name__ for r in rows]
    assert kinds == ["Article", "Failure", "Failure", "Failure", "Failure", "Article"]
    errors = [r.error for r in rows if isinstance(r, Failure)]
    assert f"{p}:2" in errors[0] and "not a JSON object" in errors[0]
    assert "no 'text' field (fields: body)" in errors[2]


def test_json_file(tmp_path: Path) -> None:
    p = tmp_path / "a.json"
    p.write_text(json.dumps({"title": "T", "text": "Body."}))
    (a,) = _read(p)
    assert isinstance(a, Article) and a.title == "T"


def test_csv_tsv_parquet_gz(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (tmp_path / "a.csv").write_text('id,text\n1,"First, with comma."\n2,Second.\n')
    (tmp_path / "a.tsv").write_text("id\ttext\n1\tTab one.\n")
    pq.write_table(pa.table({"id": ["p1", "p2"], "text": ["Parquet one.", "Parquet two."]}), tmp_path / "a.parquet")
    with gzip.open(tmp_path / "b.jsonl.gz", "wt") as f:
        f.write('{"text": "Gzipped."}\n')
    rows = _read(tmp_path / "a.csv", tmp_path / "a.tsv", tmp_path / "a.parquet", tmp_path / "b.jsonl.gz")
    assert [r.text for r in rows if isinstance(r, Article)] == [
        "First, with comma.",
        "Second.",
        "Tab one.",
        "Parquet one.",
        "Parquet two.",
        "Gzipped.",
    ]


@pytest.mark.parametrize("sep", [";", "|", "\t"])
def test_csv_reads_the_delimiter_its_header_uses(tmp_path: Path, sep: str) -> None:
    """A spreadsheet set to a European locale exports `;`: its rows are read, not failed for want of a text field."""
    p = tmp_path / "export.csv"
    p.write_text(
        f'id{sep}title{sep}text\n1{sep}Shares, bonds{sep}"Markets fell{sep} then rose."\n', encoding="utf-8-sig"
    )
    (a,) = _read(p)
    assert isinstance(a, Article)
    assert (a.id, a.title, a.text) == ("1", "Shares, bonds", f"Markets fell{sep} then rose.")


def test_csv_from_windows_reads_its_accents(tmp_path: Path) -> None:
    """Excel on Windows saves CSV in Windows-1252: its accents are read as such, as a text file's are."""
    p = tmp_path / "export.csv"
    p.write_bytes("id,title,text\n1,Café fined,The café in Zürich was fined £500.\n".encode("cp1252"))
    (a,) = _read(p)
    assert isinstance(a, Article)
    assert (a.title, a.text) == ("Café fined", "The café in Zürich was fined £500.")


def test_bzip2_and_xz_like_gzip(tmp_path: Path) -> None:
    import bz2
    import lzma

    (tmp_path / "a.jsonl.bz2").write_bytes(bz2.compress(b'{"id": "b", "text": "Bzipped."}\n'))
    (tmp_path / "b.txt.xz").write_bytes(lzma.compress(b"Xz text."))
    with tarfile.open(tmp_path / "c.tar.xz", "w:xz") as tf:
        info = tarfile.TarInfo("one.md")
        info.size = len(b"# Head\n\nTar xz.")
        tf.addfile(info, io.BytesIO(b"# Head\n\nTar xz."))
    rows = _read(tmp_path / "a.jsonl.bz2", tmp_path / "b.txt.xz", tmp_path / "c.tar.xz")
    assert [r.text for r in rows if isinstance(r, Article)] == ["Bzipped.", "Xz text.", "Tar xz."]
    assert [detect_format(f"a.{x}") for x in ("csv.bz2", "parquet.xz", "tar.bz2", "txz")] == [
        "csv.bz2",
        "parquet.xz",
        "tar",
        "tar",
    ]


@pytest.mark.parametrize(
    ("xml", "error"),
    [
        (b'<!DOCTYPE u [<!ENTITY a "aa">]><urlset><url><loc>https://e.org/&a;</loc></url></urlset>', "DOCTYPE"),
        (b"<urlset><url><loc>https://e.org/a</loc></url>", "not a readable sitemap"),
        (b"<urlset><url><loc>/relative</loc></url></urlset>", "lists no links"),
    ],
)
def test_a_sitemap_that_cannot_be_read_is_one_failure(tmp_path: Path, xml: bytes, error: str) -> None:
    (tmp_path / "sitemap.xml").write_bytes(xml)
    (f,) = _read(tmp_path / "sitemap.xml")
    assert isinstance(f, Failure) and error in f.error and f.error.startswith(str(tmp_path / "sitemap.xml"))


def test_a_news_api_answer_is_its_articles_and_a_missing_text_field_is_suggested(tmp_path: Path) -> None:
    body = "The central bank held interest rates at 4% on Thursday."
    row = {"source": {"id": None, "name": "Gazette"}, "publishedAt": "2026-12-03T10:00:00Z", "content": body}
    answer = {"status": "ok", "totalResults": 2, "articles": [{"title": f"T{i}", **row} for i in range(2)]}
    (tmp_path / "news.json").write_text(json.dumps(answer))
    (tmp_path / "one.json").write_text(json.dumps({"title": "T", "text": body, "authors": [{"name": "Ann"}]}))
    rows = _read(tmp_path / "news.json", tmp_path / "one.json")
    assert [r.id for r in rows] == [f"{tmp_path / 'news.json'}:{i}" for i in (1, 2)] + [str(tmp_path / "one.json")]
    assert isinstance(rows[0], Failure) and rows[0].error.endswith("use --text-field content")
    assert isinstance(rows[2], Article) and rows[2].text == body
    articles = _read(tmp_path / "news.json", fields=Fields(text="content"))
    assert [a.title for a in articles if isinstance(a, Article)] == ["T0", "T1"]
    meta = article_meta(articles[0])  # type: ignore[arg-type]
    assert (meta["site"], meta["published"]) == ("Gazette", "2026-12-03T10:00:00Z")


def test_a_web_address_without_its_scheme_is_told_how_to_fetch_it(tmp_path: Path) -> None:
    (f,) = _read("www.example.org/news/1", fetcher=lambda: None)
    assert isinstance(f, Failure)
    assert (
        f.error
        == "www.example.org/news/1: no such file or folder; for the web page, write https://www.example.org/news/1"
    )
    (g,) = _read(str(tmp_path / "missing.jsonl"))
    assert isinstance(g, Failure) and g.error.endswith("no such file or folder")


def test_a_sitemap_past_the_cap_says_how_many_links_were_not_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpkit.io import feeds
    from nlpkit.io.readers.urls import listed_items

    monkeypatch.setattr(feeds, "MAX_SITEMAP_URLS", 2)
    xml = b"<urlset>" + b"".join(b"<url><loc>https://e.org/%d</loc></url>" % i for i in range(5)) + b"</urlset>"
    *items, failure = listed_items(xml, "s.xml", fetcher=None)  # type: ignore[arg-type]
    assert [i.url for i in items] == ["https://e.org/0", "https://e.org/1"]
    assert isinstance(failure, Failure) and failure.error.startswith("s.xml: 3 more items than the 2 read")


def test_a_compressed_tar_is_not_inflated_through_a_member_past_the_skip_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A tar streams: passing a member inflates it, so a gzip of zeros could take minutes of CPU to pass."""
    from nlpkit.io.readers import archives

    monkeypatch.setattr(archives, "MAX_SKIP_BYTES", 1 << 20)
    with tarfile.open(tmp_path / "a.tar.gz", "w:gz") as tf:
        for name, data in [("first.txt", b"First one."), ("zeros.bin", bytes(2 << 20)), ("last.txt", b"Last one.")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    first, failure = _read(tmp_path / "a.tar.gz")
    assert isinstance(first, Article) and first.text == "First one."
    assert (
        isinstance(failure, Failure)
        and "zeros.bin: a member of 2,097,152 bytes in a compressed archive" in failure.error
    )
    with tarfile.open(tmp_path / "b.tar", "w") as tf:  # not compressed: passing it costs no more than reading the file
        for name, data in [("zeros.bin", bytes(2 << 20)), ("last.txt", b"Last one.")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    assert [r.text for r in _read(tmp_path / "b.tar") if isinstance(r, Article)] == ["Last one."]


def test_a_folder_passes_over_hidden_folders_and_a_saved_pages_assets(tmp_path: Path) -> None:
    (tmp_path / "Story.html").write_text("<html><body><article><p>The story itself.</p></article></body></html>")
    for folder in ("Story_files", ".git", "Other_files"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "frame.html").write_text(f"<html><body><p>An ad in {folder}.</p></body></html>")
    read = sorted(r.source for r in _read(tmp_path))
    assert read == [str(tmp_path / "Other_files" / "frame.html"), str(tmp_path / "Story.html")]


def test_a_page_saved_as_one_file_and_a_newsletter_e_mail(tmp_path: Path) -> None:
    import quopri

    page = quopri.encodestring((Path(__file__).parents[2] / "data" / "article.html").read_bytes()).decode()
    (tmp_path / "saved.mhtml").write_text(
        "From: <Saved by Blink>\nSnapshot-Content-Location: https://example.org/wind\nSubject: Wind farm\n"
        'MIME-Version: 1.0\nContent-Type: multipart/related; type="text/html"; boundary="B"\n\n'
        f"--B\nContent-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n{page}\n"
        "--B\nContent-Type: text/css\n\nbody { color: red; }\n--B--\n"
    )
    (tmp_path / "brief.eml").write_text(
        "From: Morning Brief <brief@example.org>\nSubject: Rates held\nDate: Mon, 7 Dec 2026 06:00:00 +0000\n"
        'MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nPlain copy.\n--b\nContent-Type: text/html; charset=utf-8\n\n"
        "<html><body><p>The central bank held rates at 4% on Thursday.</p><p>Markets rose.</p></body></html>\n--b--\n"
    )
    saved, mail = _read(tmp_path / "saved.mhtml", tmp_path / "brief.eml")
    assert isinstance(saved, Article) and saved.title.startswith("Wind farm to power 300,000 homes approved")
    assert (
        "offshore wind farm" in saved.text
        and "color" not in saved.text
        and saved.meta["url"] == "https://example.org/wind"
    )
    assert isinstance(mail, Article) and mail.title == "Rates held" and mail.text.startswith("The central bank held")
    assert mail.meta["author"] == "Morning Brief <brief@example.org>" and mail.meta["published"].startswith(
        "Mon, 07 Dec"
    )


def test_a_text_kept_as_a_list_of_paragraphs_is_one_article(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    paragraphs = ["The central bank held rates on Thursday.", "Markets rose after the decision."]
    pq.write_table(pa.table({"id": ["p"], "text": [paragraphs]}), tmp_path / "a.parquet")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "j", "text": paragraphs}) + "\n" + '{"id": "n", "text": [1, 2]}\n'
    )
    rows = _read(tmp_path / "a.parquet", tmp_path / "b.jsonl")
    assert [r.text for r in rows[:2] if isinstance(r, Article)] == ["\n\n".join(paragraphs)] * 2
    assert isinstance(rows[2], Failure) and rows[2].error.endswith("field 'text' is list, not text")


def test_fields_of_a_nested_object_are_named_outer_dot_inner(tmp_path: Path) -> None:
    row = {"id": "n1", "content": {"headline": "Rates held", "body": "The central bank held rates on Thursday."}}
    (tmp_path / "a.jsonl").write_text(json.dumps(row) + "\n")
    (missing,) = _read(tmp_path / "a.jsonl")
    assert isinstance(missing, Failure) and missing.error.endswith("use --text-field content.body")
    (a,) = _read(tmp_path / "a.jsonl", fields=Fields(text="content.body", title="content.headline"))
    assert isinstance(a, Article) and (a.title, a.text) == ("Rates held", row["content"]["body"])  # type: ignore[index]


def test_folder_and_glob(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Bee.")
    (tmp_path / "sub" / "a.txt").write_text("Ay.")
    (tmp_path / "skip.bin").write_bytes(b"\x00\x01")
    assert [r.text for r in _read(tmp_path) if isinstance(r, Article)] == ["Bee.", "Ay."]
    assert [r.text for r in _read(str(tmp_path / "*.txt")) if isinstance(r, Article)] == ["Bee."]


def test_archives(tmp_path: Path) -> None:
    z = tmp_path / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("x/one.txt", "Zip one.")
        zf.writestr("two.jsonl", '{"id": "j", "text": "Zip two."}\n')
        zf.writestr("../evil.txt", "Escape.")
    t = tmp_path / "a.tar.gz"
    with tarfile.open(t, "w:gz") as tf:
        data = b"Tar one."
        info = tarfile.TarInfo("one.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    rows = _read(z, t)
    assert [r.text for r in rows if isinstance(r, Article)] == ["Zip one.", "Zip two.", "Tar one."]
    assert next(r.source for r in rows if isinstance(r, Article)) == f"{z}!x/one.txt"
    (bad,) = [r for r in rows if isinstance(r, Failure)]
    assert "unsafe member path" in bad.error


def test_corrupt_archive(tmp_path: Path) -> None:
    p = tmp_path / "bad.zip"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    (f,) = _read(p)
    assert isinstance(f, Failure) and "not a readable zip archive" in f.error


def test_zip_bomb_member_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpkit.io.readers import archives

    monkeypatch.setattr(archives, "MAX_MEMBER_BYTES", 1_000_000)
    p = tmp_path / "bomb.zip"
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("big.txt", "a" * 5_000_000)
    (f,) = _read(p)
    assert isinstance(f, Failure) and "limit" in f.error


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty article"), (b"  \n\t\n", "empty article"), (b"\x00\x01\x02binary", "binary file")],
)
def test_bad_files(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    (f,) = _read(p)
    assert isinstance(f, Failure) and message in f.error and str(p) in f.error


def test_invalid_utf8_is_read_with_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "latin.txt"
    p.write_bytes("Café owner said: “fine”.".encode("cp1252"))
    (a,) = _read(p)
    assert isinstance(a, Article) and a.text == "Café owner said: “fine”."
    assert "not valid UTF-8" in a.meta["warnings"][0]


def test_missing_path_folder_and_unknown_type(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "x.key").write_text("x")
    rows = _read(tmp_path / "nope.txt", tmp_path / "empty", tmp_path / "x.key")
    errors = [r.error for r in rows if isinstance(r, Failure)]
    assert "no such file or folder" in errors[0]
    assert errors[1].endswith("empty: folder has no files nlpkit reads")
    assert "unknown file type '.key'" in errors[2]


@pytest.mark.parametrize("name", ["index.php", "story.aspx", "news.shtml", "item.jsp", "page.asp", "a.cfm"])
def test_a_page_saved_with_its_servers_extension_is_html(tmp_path: Path, name: str, data_dir: Path) -> None:
    # `wget https://site/news/index.php` keeps the server's extension: "unknown file type '.php'".
    page = tmp_path / name
    page.write_bytes((data_dir / "article.html").read_bytes())
    (a,) = _read(page)
    assert isinstance(a, Article) and a.title == "Wind farm to power 300,000 homes approved"
    (folder,) = _read(tmp_path)
    assert isinstance(folder, Article) and folder.title == a.title


def test_a_text_file_of_web_addresses_is_told_to_be_given_as_urls(tmp_path: Path) -> None:
    # `nlpkit summarize urls.txt` briefed the list itself: "• https://example.org/a https://example.org/b".
    urls = tmp_path / "urls.txt"
    urls.write_text("# today's links\nhttps://example.org/a\n\nhttps://example.org/b\n")
    (failed,) = _read(urls)
    assert isinstance(failed, Failure)
    assert failed.error == (
        f"{urls}: a list of web addresses, not an article; to read the pages they name, give it as --urls {urls} "
        "(in Python, its lines to nlpkit.read_articles)"
    )
    story = tmp_path / "story.txt"
    story.write_text("Read the report at https://example.org/a\nhttps://example.org/b\n")
    (article,) = _read(story)
    assert isinstance(article, Article)


def test_a_file_without_an_extension_is_told_how_to_name_it(tmp_path: Path) -> None:
    (tmp_path / "story").write_text("Shops shut early. Staff went home.")
    (failed,) = _read(tmp_path / "story")
    assert isinstance(failed, Failure)
    assert failed.error.startswith(f"{tmp_path / 'story'}: no file extension to tell its type by")
    assert "name it story.txt, story.html" in failed.error


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _p(runs: str, style: str = "") -> str:
    return f"<w:p>{f'<w:pPr><w:pStyle w:val={style!r}/></w:pPr>' if style else ''}{runs}</w:p>"


def _r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _docx(path: Path, body: str, *, doctype: str = "") -> Path:
    """A Word document as Word lays one out: the parts that matter here, the text in word/document.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr(
            "word/document.xml", f"<?xml version='1.0'?>{doctype}<w:document {W}><w:body>{body}</w:body></w:document>"
        )
        z.writestr("word/header1.xml", f"<w:hdr {W}>{_p(_r('PAGE HEADER'))}</w:hdr>")
    return path


def test_a_word_document_is_its_body_paragraphs_under_its_headline(tmp_path: Path) -> None:
    body = _p(_r("Porto Velho bans cruise ships"), style="Title") + _p(
        _r("The council voted on Monday, ") + _r("the mayor said.")
    )
    body += _p(_r("Residents had complained.") + "<w:del><w:r><w:delText>DELETED</w:delText></w:r></w:del>")
    body += _p("<w:r><w:instrText>PAGE</w:instrText></w:r>" + _r("The ban starts in April."))
    body += "<w:tbl><w:tr><w:tc>" + _p(_r("Press contact: Ana Silva")) + "</w:tc></w:tr></w:tbl>"
    body += _p(
        "<w:r><w:drawing><w:txbxContent>"
        + _p(_r("SIDEBAR"))
        + "</w:txbxContent></w:drawing></w:r>"
        + _r("Shops fear a drop.")
    )
    body += _p("<w:r><w:t>Rua Um, 1</w:t><w:br/><w:t>Porto Velho</w:t></w:r>")
    (a,) = _read(_docx(tmp_path / "release.docx", body))
    assert isinstance(a, Article) and a.title == "Porto Velho bans cruise ships", a
    assert a.text == (
        "The council voted on Monday, the mayor said.\n\nResidents had complained.\n\nThe ban starts in April.\n\n"
        "Shops fear a drop.\n\nRua Um, 1\nPorto Velho"
    )
    archive = tmp_path / "releases.zip"  # in a zip archive, as mail attachments are saved
    with zipfile.ZipFile(archive, "w") as z:
        z.write(tmp_path / "release.docx", "2024/release.docx")
    (b,) = _read(archive)
    assert isinstance(b, Article) and b.text == a.text and b.source.endswith("!2024/release.docx")


def test_a_hostile_or_broken_word_document_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "text.docx").write_text("not a zip at all")
    with zipfile.ZipFile(tmp_path / "sheet.docx", "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    _docx(tmp_path / "entities.docx", _p(_r("&lol;")), doctype='<!DOCTYPE d [<!ENTITY lol "lol">]>')
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", " " * 20_000_000)
    _docx(tmp_path / "cut.docx", _p(_r("Fine so far.")) + "<w:p><w:r>")
    names = ["text", "sheet", "entities", "bomb", "cut"]
    errors = [r.error if isinstance(r, Failure) else "read" for r in _read(*(tmp_path / f"{n}.docx" for n in names))]
    assert errors == [
        f"{tmp_path}/text.docx: not a Word document (.docx is a zip archive; File is not a zip file)",
        f"{tmp_path}/sheet.docx: not a Word document (no word/document.xml inside)",
        f"{tmp_path}/entities.docx: a Word document with a DOCTYPE or entities; not read",
        f"{tmp_path}/bomb.docx!word/document.xml: inflates more than 200:1 (a decompression bomb); not read",
        errors[4],
    ]
    assert errors[4].startswith(f"{tmp_path}/cut.docx: a damaged Word document (")


def test_a_folder_says_which_documents_it_does_not_read(tmp_path: Path) -> None:
    """A PDF or an old Word file in a folder may be an article: each is an error row with what to do; images are
    passed over, and a folder of nothing else says what it holds."""
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("The council voted to ban cruise ships.")
    for name in ("b.pdf", "c.doc", "logo.png"):
        (tmp_path / "news" / name).write_bytes(b"%PDF-1.4")
    rows = _read(tmp_path / "news")
    assert [type(r).__name__ for r in rows] == ["Article", "Failure", "Failure"]
    assert rows[1].error.endswith(
        "b.pdf: nlpkit does not read PDF; convert it to text first (pdftotext FILE.pdf, from poppler-utils)"
    )  # type: ignore[union-attr]
    assert "c.doc: a Word 97-2003 document" in rows[2].error  # type: ignore[union-attr]
    with zipfile.ZipFile(tmp_path / "news.zip", "w") as z:  # and in an archive, read here or by score's workers
        for name in ("a.txt", "b.pdf", "logo.png"):
            z.write(tmp_path / "news" / name, name)
    with tarfile.open(tmp_path / "news.tar.gz", "w:gz") as t:
        t.add(tmp_path / "news", "news")
    rows = _read(tmp_path / "news.zip", tmp_path / "news.tar.gz")
    members = [(r.source.removeprefix(f"{tmp_path}/"), type(r).__name__) for r in rows]
    assert sorted(members) == [
        ("news.tar.gz!news/a.txt", "Article"),
        ("news.tar.gz!news/b.pdf", "Failure"),
        ("news.tar.gz!news/c.doc", "Failure"),
        ("news.zip!a.txt", "Article"),
        ("news.zip!b.pdf", "Failure"),
    ]
    out = tmp_path / "scores.jsonl"
    summary = nlpkit.score_archive(str(tmp_path / "news.zip"), out, workers=1)
    assert (summary.read, summary.failed) == (2, 1) and "b.pdf: nlpkit does not read PDF" in str(summary.first_error)
    (tmp_path / "pics").mkdir()
    for name in ("1.png", "2.png", "3.jpg"):
        (tmp_path / "pics" / name).write_bytes(b"\x89PNG")
    (failure,) = _read(tmp_path / "pics")
    assert isinstance(failure, Failure) and failure.error.endswith(
        "pics: folder has no files nlpkit reads (it has 2 .png, 1 .jpg)"
    )


def test_huge_article_is_cut_with_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from nlpkit import config

    monkeypatch.setattr(config, "MAX_ARTICLE_CHARS", 1000)
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000)
    (a,) = _read(p)
    assert isinstance(a, Article) and len(a.text) == 1000 and "only the first 1,000" in a.meta["warnings"][0]


def test_lines_are_an_article_each() -> None:
    from nlpkit.io.readers import read_stream

    data = "Oil rises\n\n  Caf\xe9 prices fall  \n".encode("cp1252") + b"x" * 10
    records = list(read_stream(io.BytesIO(data), "heads.txt", "lines", Fields()))
    assert [(r.id, r.text) for r in records if isinstance(r, Article)] == [
        ("heads.txt:1", "Oil rises"),
        ("heads.txt:3", "Caf\xe9 prices fall"),
        ("heads.txt:4", "x" * 10),
    ]
    assert "read as Windows-1252" in records[1].meta["warnings"][0]
    (failure,) = read_stream(io.BytesIO("Oil rises\n".encode("utf-16")), "u16.txt", "lines", Fields())
    assert isinstance(failure, Failure) and "text lines in UTF-16; convert it to UTF-8" in failure.error


def test_detect_format() -> None:
    assert detect_format("a.tar.gz") == "tar"
    assert detect_format("A.HTM") == "html"
    assert detect_format("post.md") == detect_format("post.markdown") == "md"
    with pytest.raises(InputError):
        detect_format("noext")


def test_decode_utf16_and_bom() -> None:
    assert decode("hi".encode("utf-16"), "x")[0] == "hi"
    assert decode(b"\xef\xbb\xbfhi", "x") == ("hi", None)


def test_warc_html_responses(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (
        b"<html><head><title>Storm closes port</title></head><body><article><h1>Storm closes port</h1>"
        b"<p>The port was closed on Monday after a storm brought winds of 90mph to the coast.</p>"
        b"<p>Ferries were cancelled and hundreds of passengers were stranded overnight.</p></article></body></html>"
    )
    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=True)
        for i, (ctype, body) in enumerate(
            [("text/html; charset=utf-8", page), ("image/png", b"\x89PNG..."), ("text/html", b"\x00\x01")]
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(
                f"https://news.example/{i}", "response", payload=io.BytesIO(body), http_headers=headers
            )
            w.write_record(rec)
    rows = _read(path)
    art, bad = rows
    assert isinstance(art, Article) and art.id == "https://news.example/0" and art.title == "Storm closes port"
    assert art.meta["url"] == "https://news.example/0" and art.meta["published"]
    assert "Ferries were cancelled" in art.text
    assert isinstance(bad, Failure) and "binary" in bad.error


def test_corrupt_warc(tmp_path: Path) -> None:
    p = tmp_path / "bad.warc"
    p.write_bytes(b"this is not a warc file at all\r\n\r\n")
    (f,) = _read(p)
    assert isinstance(f, Failure) and "corrupt WARC" in f.error
