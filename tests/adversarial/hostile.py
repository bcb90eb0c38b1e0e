"""Hostile and broken inputs, each built in a folder by a small function.

`INPUTS` maps a name to a builder: the builder writes its files under the folder it is given and
returns an `Input` saying which paths to pass and what must come out: how many records are good
(each gets a result), how many are bad (each gets one error naming its file and line or member),
and a pattern the error must match.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import random
import string
import tarfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ARTICLE = (
    "Bridge closed after cracks found\n\n"
    "A major road bridge was closed on Monday after engineers found cracks in its main supports. "
    "Drivers face diversions of up to forty minutes while repairs are planned. "
    "The council said the bridge would stay shut until at least the spring. "
    "Local businesses warned that the closure would cost them trade."
)
BODY = ARTICLE.split("\n\n", 1)[1]


@dataclass
class Input:
    paths: list[str]
    good: int  # records that must be scored
    bad: int = 0  # records or units that must fail, one error each
    error: str | None = None  # a pattern every error line must match (names the file, line or member)
    secret: str | None = None  # text that must appear in no output (a leaked file)


def article(i: int) -> dict[str, str]:
    return {"id": f"g{i}", "title": f"Bridge {i} closed after cracks found", "text": BODY}


def jsonl(rows: list[object]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def gzip_members(count: int, member: bytes, compress: Callable[[bytes], bytes] = gzip.compress) -> bytes:
    """`count` gzip (or bzip2, xz) streams of `member` back to back: inflates to count * len(member)."""
    one = compress(member)
    return one * count


def bomb(size_mib: int = 1024, compress: Callable[[bytes], bytes] = gzip.compress) -> bytes:
    """About 1 MB of gzip (or less of bzip2, xz) that inflates to `size_mib` MiB of zeros."""
    return gzip_members(size_mib, bytes(1 << 20), compress)


Builder = Callable[[Path], Input]
INPUTS: dict[str, Builder] = {}


def hostile(func: Builder) -> Builder:
    INPUTS[func.__name__] = func
    return func


# -- plain text ----------------------------------------------------------------------------------


@hostile
def empty_file(d: Path) -> Input:
    (d / "empty.txt").write_bytes(b"")
    return Input(["empty.txt"], good=0, bad=1, error=r"empty\.txt")


@hostile
def whitespace_only(d: Path) -> Input:
    (d / "blank.txt").write_text(" \n\t\n   \u00a0\u2003\n" * 50)
    return Input(["blank.txt"], good=0, bad=1, error=r"blank\.txt")


@hostile
def binary_png(d: Path) -> Input:
    rnd = random.Random(1)
    (d / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(20000)))
    return Input(["photo.txt"], good=0, bad=1, error=r"photo\.txt")


@hostile
def nul_bytes_after_8k(d: Path) -> Input:
    text = ARTICLE + " More text follows here." * 400 + "\x00\x00 Hidden\x00 words.\x00 End of story."
    (d / "nul.txt").write_bytes(text.encode())
    return Input(["nul.txt"], good=1)


@hostile
def invalid_utf8(d: Path) -> Input:
    (d / "latin1.txt").write_bytes(ARTICLE.replace("Monday", "Mond\xe4y").encode("latin-1") + b"\xff\xfe\xfa")
    return Input(["latin1.txt"], good=1)


@hostile
def utf16_without_bom(d: Path) -> Input:
    (d / "wide.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    return Input(["wide.txt"], good=1)


@hostile
def utf16_big_endian_with_bom(d: Path) -> Input:
    (d / "wide_be.txt").write_bytes(ARTICLE.encode("utf-16"))
    return Input(["wide_be.txt"], good=1)


@hostile
def control_characters_only(d: Path) -> Input:
    (d / "ctrl.txt").write_bytes(bytes(range(1, 32)) * 200)
    return Input(["ctrl.txt"], good=0, bad=1, error=r"ctrl\.txt")


@hostile
def control_characters_inside(d: Path) -> Input:
    text = "".join(
        ch + ("\x1b[31m" if i % 7 == 0 else "") + ("\x08" if i % 11 == 0 else "") for i, ch in enumerate(ARTICLE)
    )
    (d / "escapes.txt").write_text(text)
    return Input(["escapes.txt"], good=1)


@hostile
def wide_vocabulary(d: Path) -> Input:
    rnd = random.Random(2)
    words = lambda n: " ".join("".join(rnd.choices(string.ascii_lowercase, k=7)) for _ in range(n))  # noqa: E731
    (d / "wide.txt").write_text(" ".join(words(12).capitalize() + "." for _ in range(420)))
    return Input(["wide.txt"], good=1)


@hostile
def huge_sentence_count(d: Path) -> Input:
    rnd = random.Random(3)
    vocab = ["".join(rnd.choices(string.ascii_lowercase, k=6)) for _ in range(5000)]
    (d / "many.txt").write_text(" ".join(" ".join(rnd.choices(vocab, k=9)).capitalize() + "." for _ in range(30000)))
    return Input(["many.txt"], good=1)


@hostile
def one_giant_token(d: Path) -> Input:
    (d / "token.txt").write_text("Headline here\n\n" + "x" * 3_000_000 + ". The end.")
    return Input(["token.txt"], good=1)


@hostile
def runs_of_dots(d: Path) -> Input:
    (d / "dots.txt").write_text("Wait" + "." * 200_000 + " what" + "!?" * 50_000 + " ok.")
    return Input(["dots.txt"], good=1)


@hostile
def no_sentence_ends(d: Path) -> Input:
    (d / "oneline.txt").write_text(" ".join(["word"] * 400_000))
    return Input(["oneline.txt"], good=1)


@hostile
def zalgo_and_zero_width(d: Path) -> Input:
    marks = "".join(chr(c) for c in range(0x300, 0x36F))
    text = "".join(ch + marks[: (i % 20)] + "\u200b\u200f\u202e" for i, ch in enumerate(ARTICLE))
    (d / "zalgo.txt").write_text(text)
    return Input(["zalgo.txt"], good=1)


@hostile
def lone_surrogates_and_private_use(d: Path) -> Input:
    (d / "odd.jsonl").write_text(
        json.dumps({"id": "s", "title": "\ud800 broken \udfff", "text": BODY + " \ue000\U0010fffd \ud83d end."}) + "\n"
    )
    return Input(["odd.jsonl"], good=1)


@hostile
def fifty_mb_of_text(d: Path) -> Input:
    (d / "big.txt").write_text((BODY + "\n") * 180_000)
    return Input(["big.txt"], good=1)


@hostile
def file_name_with_newline_and_escape(d: Path) -> Input:
    (d / "odd\nname\x1b[2J.txt").write_text("")
    return Input(["odd\nname\x1b[2J.txt"], good=0, bad=1, error=r"odd(\s|\\n)name(\x1b|\\x1b)\[2J\.txt")


@hostile
def unknown_extension(d: Path) -> Input:
    (d / "setup.exe").write_bytes(b"MZ\x90\x00" + bytes(4000))
    return Input(["setup.exe"], good=0, bad=1, error=r"setup\.exe")


# -- JSON, JSONL, CSV, Parquet --------------------------------------------------------------------


@hostile
def jsonl_deep_nesting(d: Path) -> Input:
    deep = "[" * 100_000 + "]" * 100_000
    (d / "deep.jsonl").write_bytes(jsonl([article(1)]) + ('{"text": ' + deep + "}\n").encode() + jsonl([article(2)]))
    return Input(["deep.jsonl"], good=2, bad=1, error=r"deep\.jsonl:2")


@hostile
def jsonl_wrong_types(d: Path) -> Input:
    rows = [
        article(0),
        {"text": 42},
        {"text": ["a", 2]},  # a list of strings is an article's paragraphs; one with a number is not
        {"text": None},
        {"text": {"x": 1}},
        [1, 2],
        "text",
        7,
        article(1),
    ]
    (d / "types.jsonl").write_bytes(jsonl(rows))
    return Input(["types.jsonl"], good=2, bad=7, error=r"types\.jsonl:[2-8]")


@hostile
def jsonl_bom_crlf_blank_lines(d: Path) -> Input:
    (d / "crlf.jsonl").write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(article(0)).encode()
        + b"\r\n\r\n  \r\n"
        + json.dumps(article(1)).encode()
        + b"\r\n"
    )
    return Input(["crlf.jsonl"], good=2)


@hostile
def jsonl_nan_and_huge_numbers(d: Path) -> Input:
    (d / "nan.jsonl").write_bytes(
        b'{"id": NaN, "title": Infinity, "text": "' + BODY.encode() + b'", "n": 1e999999}\n'
        b'{"id": 123456789012345678901234567890, "text": "' + BODY.encode() + b'"}\n'
    )
    return Input(["nan.jsonl"], good=2)


@hostile
def jsonl_line_over_limit(d: Path) -> Input:
    with (d / "long.jsonl").open("wb") as f:
        f.write(jsonl([article(0)]))
        f.write(b'{"text": "' + b"word " * (14 * 1024 * 1024) + b'"}\n')
        f.write(jsonl([article(1)]))
    return Input(["long.jsonl"], good=2, bad=1, error=r"long\.jsonl:2")


@hostile
def jsonl_truncated_mid_line(d: Path) -> Input:
    data = jsonl([article(0), article(1)])
    (d / "cut.jsonl").write_bytes(data + json.dumps(article(2)).encode()[:40])
    return Input(["cut.jsonl"], good=2, bad=1, error=r"cut\.jsonl:3")


@hostile
def json_top_level_scalar(d: Path) -> Input:
    (d / "scalar.json").write_text('"just a string"')
    return Input(["scalar.json"], good=0, bad=1, error=r"scalar\.json")


@hostile
def json_deep_nesting(d: Path) -> Input:
    (d / "deep.json").write_text("[" * 200_000 + "]" * 200_000)
    return Input(["deep.json"], good=0, bad=1, error=r"deep\.json")


@hostile
def json_list_with_bad_items(d: Path) -> Input:
    (d / "list.json").write_text(json.dumps([article(0), 5, {"title": "no text"}, article(1)]))
    return Input(["list.json"], good=2, bad=2, error=r"list\.json")


@hostile
def csv_ragged_rows(d: Path) -> Input:
    (d / "ragged.csv").write_text(f'id,title,text\na,One,"{BODY}"\nb,Two\nc,Three,"{BODY}",extra,cells\n')
    return Input(["ragged.csv"], good=1, bad=2, error=r"ragged\.csv:[34]: \d cells where the header has 3")


@hostile
def csv_nul_byte(d: Path) -> Input:
    (d / "nul.csv").write_bytes(f'id,text\na,"{BODY}"\nb,"bad\x00cell"\nc,"{BODY}"\n'.encode())
    return Input(["nul.csv"], good=3)  # a stray NUL in a cell is dropped, the row kept


@hostile
def csv_unterminated_quote(d: Path) -> Input:
    (d / "quote.csv").write_text(f'id,text\na,"{BODY}"\nb,"never closed {BODY}\n')
    return Input(["quote.csv"], good=1, bad=1, error=r"quote\.csv")


@hostile
def csv_field_of_20_mb(d: Path) -> Input:
    (d / "wide.csv").write_text(f'id,text\na,"{BODY}"\nb,"' + "word " * 4_000_000 + f'"\nc,"{BODY}"\n')
    return Input(["wide.csv"], good=3)


@hostile
def csv_without_text_column(d: Path) -> Input:
    (d / "cols.csv").write_text("id,headline_only\na,Something\n")
    return Input(["cols.csv"], good=0, bad=1, error=r"cols\.csv")


@hostile
def csv_binary_garbage(d: Path) -> Input:
    (d / "garbage.csv").write_bytes(bytes(random.Random(4).randrange(256) for _ in range(50_000)))
    return Input(["garbage.csv"], good=0, bad=1, error=r"garbage\.csv")


@hostile
def parquet_corrupt(d: Path) -> Input:
    (d / "bad.parquet").write_bytes(b"PAR1" + os.urandom(5000) + b"PAR1")
    return Input(["bad.parquet"], good=0, bad=1, error=r"bad\.parquet")


@hostile
def parquet_wrong_column_type(d: Path) -> Input:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a", "b"], "text": [1, 2]}), d / "ints.parquet")
    return Input(["ints.parquet"], good=0, bad=2, error=r"ints\.parquet")


# -- compressed and archives ---------------------------------------------------------------------


@hostile
def gzip_bomb_text(d: Path) -> Input:
    (d / "bomb.txt.gz").write_bytes(bomb())
    return Input(["bomb.txt.gz"], good=0, bad=1, error=r"bomb\.txt\.gz")


@hostile
def gzip_bomb_jsonl(d: Path) -> Input:
    (d / "bomb.jsonl.gz").write_bytes(gzip.compress(jsonl([article(0)])) + bomb())
    return Input(["bomb.jsonl.gz"], good=1, bad=1, error=r"bomb\.jsonl\.gz")


@hostile
def gzip_cut_in_half(d: Path) -> Input:
    data = gzip.compress(jsonl([article(i) for i in range(400)]))
    (d / "half.jsonl.gz").write_bytes(data[: len(data) // 2])
    return Input(["half.jsonl.gz"], good=-1, bad=1, error=r"half\.jsonl\.gz")  # good: every line before the cut


@hostile
def gzip_corrupt_second_member(d: Path) -> Input:
    second = bytearray(gzip.compress(jsonl([article(5)])))
    second[20:30] = b"\xff" * 10
    (d / "two.jsonl.gz").write_bytes(gzip.compress(jsonl([article(0), article(1)])) + bytes(second))
    return Input(["two.jsonl.gz"], good=2, bad=1, error=r"two\.jsonl\.gz")


@hostile
def xz_bomb_jsonl(d: Path) -> Input:
    (d / "bomb.jsonl.xz").write_bytes(lzma.compress(jsonl([article(0)])) + bomb(compress=lzma.compress))
    return Input(["bomb.jsonl.xz"], good=1, bad=1, error=r"bomb\.jsonl\.xz: xz data inflates")


@hostile
def bzip2_bomb_text(d: Path) -> Input:
    (d / "bomb.txt.bz2").write_bytes(bomb(compress=bz2.compress))
    return Input(["bomb.txt.bz2"], good=0, bad=1, error=r"bomb\.txt\.bz2: bzip2 data inflates")


@hostile
def xz_cut_in_half(d: Path) -> Input:
    data = lzma.compress(jsonl([article(i) for i in range(400)]))
    (d / "half.jsonl.xz").write_bytes(data[: len(data) // 2])
    return Input(["half.jsonl.xz"], good=-1, bad=1, error=r"half\.jsonl\.xz")


@hostile
def xz_not_xz(d: Path) -> Input:
    (d / "fake.txt.xz").write_text(ARTICLE)
    return Input(["fake.txt.xz"], good=0, bad=1, error=r"fake\.txt\.xz: .*damaged xz data")


@hostile
def gzip_not_gzip(d: Path) -> Input:
    (d / "fake.txt.gz").write_text(ARTICLE)
    return Input(["fake.txt.gz"], good=0, bad=1, error=r"fake\.txt\.gz")


def _zip(path: Path, members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> None:
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@hostile
def zip_path_traversal(d: Path) -> Input:
    _zip(d / "slip.zip", {"../../../../tmp/evil.txt": ARTICLE.encode(), "/etc/cron.d/x.txt": ARTICLE.encode()})
    return Input(["slip.zip"], good=0, bad=2, error=r"slip\.zip!.*: unsafe member path")


@hostile
def zip_bomb_member(d: Path) -> Input:
    _zip(d / "zbomb.zip", {"ok.txt": ARTICLE.encode(), "bomb.txt": bytes(300 * 1024 * 1024)})
    return Input(["zbomb.zip"], good=1, bad=1, error=r"zbomb\.zip!bomb\.txt|zbomb\.zip.*bomb\.txt")


@hostile
def zip_one_corrupt_member(d: Path) -> Input:
    buf = io.BytesIO()
    _zip_into(
        buf, {"a.txt": ARTICLE.encode(), "b.txt": (ARTICLE + " Extra words.").encode() * 20, "c.txt": ARTICLE.encode()}
    )
    data = bytearray(buf.getvalue())
    at = data.find(b"b.txt") + 5 + 40  # inside b.txt's compressed data
    data[at : at + 8] = b"\x00\xff" * 4
    (d / "crc.zip").write_bytes(bytes(data))
    return Input(["crc.zip"], good=2, bad=1, error=r"crc\.zip.*b\.txt")


def _zip_into(buf: io.BytesIO, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@hostile
def zip_nested(d: Path) -> Input:
    inner = io.BytesIO()
    _zip_into(inner, {"inner.txt": ARTICLE.encode()})
    _zip(d / "outer.zip", {"top.txt": ARTICLE.encode(), "inner.zip": inner.getvalue()})
    return Input(["outer.zip"], good=1, bad=1, error=r"outer\.zip.*inner\.zip")


@hostile
def zip_encrypted_member(d: Path) -> Input:
    buf = io.BytesIO()
    _zip_into(buf, {"plain.txt": ARTICLE.encode(), "secret.txt": ARTICLE.encode()})
    data = bytearray(buf.getvalue())
    # set the "encrypted" flag of secret.txt in its local and central headers
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        start = 0
        while (at := data.find(sig, start)) >= 0:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 10] == b"secret.txt":
                flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
                data[flag_at] |= 1
            start = at + 4
    (d / "locked.zip").write_bytes(bytes(data))
    return Input(["locked.zip"], good=1, bad=1, error=r"locked\.zip.*secret\.txt")


@hostile
def zip_not_a_zip(d: Path) -> Input:
    (d / "fake.zip").write_bytes(b"PK\x03\x04" + os.urandom(3000))
    return Input(["fake.zip"], good=0, bad=1, error=r"fake\.zip")


@hostile
def zip_many_tiny_members(d: Path) -> Input:
    _zip(
        d / "many.zip",
        {f"m{i:05d}.txt": f"Item {i}\n\nStory number {i} about the bridge closure.".encode() for i in range(3000)},
    )
    return Input(["many.zip"], good=3000)


@hostile
def tar_links_and_devices(d: Path) -> Input:
    with tarfile.open(d / "links.tar", "w") as tf:
        info = tarfile.TarInfo("story.txt")
        info.size = len(ARTICLE.encode())
        tf.addfile(info, io.BytesIO(ARTICLE.encode()))
        for name, kind in (
            ("passwd.txt", tarfile.SYMTYPE),
            ("hard.txt", tarfile.LNKTYPE),
            ("dev.txt", tarfile.CHRTYPE),
        ):
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd"
            tf.addfile(info)
    return Input(["links.tar"], good=1, secret="root:x:0")


@hostile
def tar_corrupt_gz_member(d: Path) -> Input:
    with tarfile.open(d / "mixed.tar", "w") as tf:
        for name, data in (
            ("ok.txt", ARTICLE.encode()),
            ("broken.txt.gz", b"\x1f\x8b\x08\x00garbage" * 10),
            ("ok2.txt", ARTICLE.encode()),
        ):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return Input(["mixed.tar"], good=2, bad=1, error=r"mixed\.tar.*broken\.txt\.gz")


@hostile
def tar_gz_truncated(d: Path) -> Input:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for i in range(50):
            data = (ARTICLE + f" Number {i}. " + os.urandom(2000).hex()).encode()
            info = tarfile.TarInfo(f"s{i:02d}.txt")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    data = buf.getvalue()
    (d / "cut.tar.gz").write_bytes(data[: len(data) // 2])
    return Input(["cut.tar.gz"], good=-1, bad=1, error=r"cut\.tar\.gz")


@hostile
def tar_member_bomb(d: Path) -> Input:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tf:
        data = bomb(256)
        info = tarfile.TarInfo("inner.txt.gz")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("fine.txt")
        info.size = len(ARTICLE.encode())
        tf.addfile(info, io.BytesIO(ARTICLE.encode()))
    (d / "tbomb.tar").write_bytes(buf.getvalue())
    return Input(["tbomb.tar"], good=1, bad=1, error=r"tbomb\.tar.*inner\.txt\.gz")


# -- HTML and WARC -------------------------------------------------------------------------------


@hostile
def html_deeply_nested(d: Path) -> Input:
    body = "<p>" + ". ".join(BODY.split(". ")) + "</p>"
    (d / "nested.html").write_text("<html><body>" + "<div>" * 10_000 + body + "</div>" * 10_000 + "</body></html>")
    return Input(["nested.html"], good=1)


@hostile
def eml_deeply_nested(d: Path) -> Input:
    n = 20_000
    head = "".join(f'--b{i - 1}\nContent-Type: multipart/mixed; boundary="b{i}"\n\n' for i in range(1, n))
    text = f'Content-Type: multipart/mixed; boundary="b0"\n\n{head}--b{n - 1}\nContent-Type: text/plain\n\n{BODY}\n'
    (d / "deep.eml").write_text(text)
    return Input(["deep.eml"], good=0, bad=1, error=r"deep\.eml: not a readable MIME message")


@hostile
def eml_a_million_parts(d: Path) -> Input:
    (d / "parts.eml").write_text(
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n\n' + "--B\n\nx\n" * 1_000_000
    )
    return Input(["parts.eml"], good=0, bad=1, error=r"parts\.eml: a MIME message of about 1,000,000 parts")


@hostile
def mhtml_binary(d: Path) -> Input:
    (d / "page.mhtml").write_bytes(random.Random(3).randbytes(20_000))
    return Input(["page.mhtml"], good=0, bad=1, error=r"page\.mhtml")


@hostile
def html_entity_expansion(d: Path) -> Input:
    lol = (
        '<!DOCTYPE html [<!ENTITY a "'
        + "x" * 1000
        + '">'
        + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
        + "]>"
    )
    (d / "laughs.html").write_text(lol + f"<html><body><p>&i;</p><p>{BODY}</p></body></html>")
    return Input(["laughs.html"], good=1)


@hostile
def html_script_only(d: Path) -> Input:
    (d / "script.html").write_text("<html><head><script>" + "var x=1;" * 5000 + "</script></head><body></body></html>")
    return Input(["script.html"], good=0, bad=1, error=r"script\.html")


@hostile
def warc_garbage(d: Path) -> Input:
    (d / "junk.warc").write_bytes(b"WARC/1.0\r\n" + bytes(random.Random(5).randrange(256) for _ in range(4000)))
    return Input(["junk.warc"], good=0, bad=1, error=r"junk\.warc")


@hostile
def warc_truncated(d: Path) -> Input:
    page = f"<html><body><h1>Bridge closed</h1><p>{BODY}</p></body></html>".encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page
    record = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/a\r\n"
        b"WARC-Date: 2020-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\nContent-Length: "
        + str(len(http)).encode()
        + b"\r\n\r\n"
        + http
        + b"\r\n\r\n"
    )
    (d / "cut.warc").write_bytes(record + record[: len(record) // 2])
    return Input(["cut.warc"], good=1, bad=1, error=r"cut\.warc")


# -- files that are not files --------------------------------------------------------------------


@hostile
def named_pipe(d: Path) -> Input:
    os.mkfifo(d / "pipe.txt")
    return Input(["pipe.txt"], good=0, bad=1, error=r"pipe\.txt")


@hostile
def character_device(d: Path) -> Input:
    return Input(["/dev/zero"], good=0, bad=1, error=r"/dev/zero")


@hostile
def folder_with_link_out(d: Path) -> Input:
    folder = d / "news"
    folder.mkdir()
    (folder / "story.txt").write_text(ARTICLE)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "up.txt").symlink_to(d / "outside.txt")
    (d / "outside.txt").write_text("Outside the folder\n\nThis secret sentence must stay out of the output.")
    return Input(["news"], good=1, bad=2, error=r"passwd\.txt|up\.txt", secret="root:x:0")


@hostile
def folder_with_link_loop(d: Path) -> Input:
    folder = d / "loop"
    folder.mkdir()
    (folder / "story.txt").write_text(ARTICLE)
    (folder / "self").symlink_to(folder, target_is_directory=True)
    (folder / "a.txt").symlink_to(folder / "b.txt")
    (folder / "b.txt").symlink_to(folder / "a.txt")
    return Input(["loop"], good=1, bad=-1)


@hostile
def folder_deeply_nested(d: Path) -> Input:
    here = d / "deep"
    for i in range(60):
        here = here / f"d{i}"
    here.mkdir(parents=True)
    (here / "story.txt").write_text(ARTICLE)
    return Input(["deep"], good=1)


@hostile
def missing_and_good(d: Path) -> Input:
    (d / "real.txt").write_text(ARTICLE)
    return Input(["real.txt", "no-such-file.txt"], good=1, bad=1, error=r"no-such-file\.txt")
