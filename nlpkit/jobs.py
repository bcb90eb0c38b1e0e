"""Output jobs: one output file written safely, resumably, with an errors file and a summary.

Both scoring engines go through `OutputJob`: it refuses to touch an input or an existing
output (unless `--force`, and never an input), keeps a manifest beside the output so an
interrupted job resumes after its last complete row, notices an output that was changed
behind its back, rebuilds the errors file from the output on resume, and tallies what was
done. Workers hand it `Batch`es: rows already encoded for the output file, so the process
that writes does little per article.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlpkit.errors import OutputError, UsageError, describe
from nlpkit.io.files import create_new, open_append, read_small, write_atomic
from nlpkit.io.paths import expand_inputs
from nlpkit.io.readers import Fields
from nlpkit.io.units import Parsed, Unit
from nlpkit.io.writers import RowWriter, encode_rows, finish_parquet, output_format, spool_path
from nlpkit.records import error_record, skip_kinds

#: The stages a scoring job spends time in, in pipeline order.
STAGES = ("read", "prepare", "topic", "stance", "brief", "encode", "write")


@dataclass(frozen=True)
class Batch:
    """Scored rows of one unit of work, encoded for the output, with what the summary needs."""

    data: bytes
    rows: int
    last_id: str | None
    errors: tuple[dict[str, Any], ...]
    topics: dict[str, int]
    stances: dict[str, int]
    seconds: dict[str, float]
    skipped: dict[str, int] = field(default_factory=dict)  # `skip_kinds` -> rows ("stance: no target")
    side: tuple[dict[str, Any], ...] = ()  # claim rows (`score --claims`), `row` counting from this batch's first


def encode_batch(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    seconds: dict[str, float],
    side: Sequence[dict[str, Any]] = (),
) -> Batch:
    """A `Batch` of rows: encoded as `fmt` lines (`jsonl` or `csv`, no header) and tallied."""
    t0 = time.perf_counter()
    data = encode_rows(rows, columns, fmt)
    ok = [r for r in rows if not r.get("error")]
    topics = Counter(str(r["topic"]) for r in ok if r.get("topic"))
    stances = Counter(str(r["stance"]) for r in ok if r.get("stance"))
    seconds = {**seconds, "encode": seconds.get("encode", 0.0) + time.perf_counter() - t0}
    return Batch(
        data=data,
        rows=len(rows),
        last_id=str(rows[-1]["id"]) if rows else None,
        errors=tuple(error_record(r) for r in rows if r.get("error")),
        topics=dict(topics),
        stances=dict(stances),
        seconds=seconds,
        skipped=dict(Counter(kind for r in ok for kind in skip_kinds(r))),
        side=tuple(side),
    )


@dataclass
class ScoreSummary:
    """What a scoring job did: counts, label totals, time per stage."""

    out: str
    read: int = 0
    scored: int = 0
    failed: int = 0
    resumed_after: int = 0
    topics: dict[str, int] = field(default_factory=dict)
    stances: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # `skip_kinds` -> articles ("topic: another language")
    claims: dict[str, dict[str, int]] = field(default_factory=dict)  # claim id -> stance -> articles
    claims_file: str | None = None
    claims_given: int = 0  # claims in the claims file
    report: str | None = None  # the report folder (`score --report`)
    fetched: int = 0  # web pages fetched from the network this run
    seconds: float = 0.0
    engine: str = "local"
    workers: int = 1
    errors_file: str | None = None
    first_error: str | None = None  # the first failure's reason, for the end-of-job summary
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def stance_skipped(self) -> int:
        """Articles whose stance was left empty, for any reason (`skipped` says which)."""
        return sum(n for kind, n in self.skipped.items() if kind.startswith("stance: "))

    @property
    def rate(self) -> float:
        """Articles per second over this run (not counting rows kept from before a resume)."""
        done = self.read - self.resumed_after
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        out = {**asdict(self), "stance_skipped": self.stance_skipped, "rate": round(self.rate, 1)}
        out["stages"] = {k: round(v, 3) for k, v in self.stages.items()}
        return out

    def add(self, batch: Batch) -> None:
        self.read += batch.rows
        self.failed += len(batch.errors)
        if self.first_error is None and batch.errors:
            self.first_error = str(batch.errors[0]["error"])
        self.scored += batch.rows - len(batch.errors)
        for name, tally in (("topics", batch.topics), ("stances", batch.stances), ("skipped", batch.skipped)):
            totals = getattr(self, name)
            for k, v in tally.items():
                totals[k] = totals.get(k, 0) + v
        for stage, secs in batch.seconds.items():
            self.stages[stage] = self.stages.get(stage, 0.0) + secs
        self.count_claims(batch.side)

    def count_claims(self, rows: Iterable[dict[str, Any]]) -> None:
        for r in rows:
            tally = self.claims.setdefault(str(r["claim_id"]), {})
            tally[str(r["stance"])] = tally.get(str(r["stance"]), 0) + 1


def input_files(inputs: Sequence[str], exclude: Iterable[Path] = ()) -> dict[str, os.stat_result]:
    """Every file the inputs name, with its stat: (device, inode) recognise an input however it is
    spelled; size and modification time tell whether it changed since a job started. Files in
    `exclude` (the job's own) are left out of folder listings."""
    found = {}
    for item in expand_inputs(inputs, follow_links=True, exclude=exclude):
        if isinstance(item, Path):
            try:
                found[str(item)] = item.stat()
            except OSError:
                continue
    return found


def _stamp(files: dict[str, os.stat_result]) -> str:
    """A short digest of the inputs' names, sizes and modification times."""
    listing = sorted((name, st.st_size, st.st_mtime_ns) for name, st in files.items())
    return hashlib.sha256(json.dumps(listing).encode()).hexdigest()[:16]


def refuse_inputs(outputs: Iterable[Path | None], inputs: set[tuple[int, int]], what: str = "output") -> None:
    """Never write where an input is, with or without --force."""
    for out in outputs:
        if out is None or not out.exists():
            continue
        st = out.stat()
        if (st.st_dev, st.st_ino) in inputs:
            raise UsageError(
                f"{out}: is one of the inputs; the {what} must go to another file (inputs are never written)"
            )


def check_output_file(out: Path) -> None:
    """An output path that can be a file: not a folder, not under a file, in a folder that can be made."""
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; give a file name (.jsonl, .csv or .parquet)")
    parent = out.parent
    for p in [parent, *parent.parents]:
        if p.exists():
            if not p.is_dir():
                raise OutputError(f"{out}: {p} is a file, not a folder")
            break


class OutputJob:
    """One output file (JSONL, CSV or Parquet) with its manifest and optional errors file.

    `columns` maps each column to its type (`string`, `float`). `start()` checks the paths,
    honours `force`/`resume` and returns how many rows are already done; `add()` appends a
    batch; `finish()` completes the job. `job` identifies the work (inputs, options): a resume
    with another job is refused.
    """

    def __init__(
        self,
        out: str | Path,
        *,
        job: dict[str, Any],
        columns: dict[str, str],
        errors: str | Path | None = None,
        summary: ScoreSummary | None = None,
        side: tuple[Path, Sequence[str]] | None = None,
    ) -> None:
        """`side`: a second output (its path and columns) for the claim rows of `score --claims`."""
        self.out = Path(out)
        self.side_path = side[0] if side else None
        self.side_writer = RowWriter(side[0], list(side[1])) if side else None
        self.fmt = output_format(self.out)
        self.spool = spool_path(self.out)
        self.manifest = self.out.with_name(f".{self.out.name}.manifest.json")
        self.errors_path = Path(errors) if errors else None
        self.columns = list(columns)
        self.column_types = {k: v for k, v in columns.items() if v != "string"}
        # Through JSON, so it compares equal to the manifest read back (tuples become lists).
        self.job = json.loads(json.dumps({**job, "format": self.fmt}))
        self.writer = RowWriter(self.spool, self.columns)
        self.summary = summary or ScoreSummary(out=str(self.out))
        self.summary.out = str(self.out)
        self.summary.errors_file = str(self.errors_path) if errors else None
        self.last_id: str | None = None
        self.inputs_stamp: str | None = None
        self._saved_stamp: str | None = None
        self._errors_file: Any = None
        self._t0 = time.perf_counter()

    def own_files(self) -> list[Path]:
        """The files this job writes (never to be read as inputs)."""
        return [p for p in (self.out, self.spool, self.manifest, self.errors_path, self.side_path) if p is not None]

    # -- starting ----------------------------------------------------------------------------

    def start(self, *, inputs: Sequence[str], force: bool, resume: bool) -> int:
        """Check the paths, clear or resume the output, and return the rows already done."""
        for path in {self.out, self.errors_path} - {None}:
            assert path is not None
            check_output_file(path)
        if self.errors_path is not None and self.errors_path.resolve() in {self.out.resolve(), self.spool.resolve()}:
            raise UsageError(f"{self.errors_path}: --errors must be another file than --out")
        files = input_files(inputs, exclude=[p for p in self.own_files() if p.exists()])
        refuse_inputs(self.own_files(), {(st.st_dev, st.st_ino) for st in files.values()})
        self.inputs_stamp = _stamp(files)
        if force and resume:
            raise UsageError("--force starts over and --resume continues: give one of them")
        saved = None if force else self._read_manifest()
        self._saved_stamp = (saved or {}).get("inputs_stamp")
        if force:
            for p in self.own_files():
                if p.is_file() or p.is_symlink():
                    p.unlink()  # a link is removed, never followed
        elif resume:
            self._check_resumable(saved)
        else:
            self._check_fresh(saved)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        for path in (self.out, self.spool, self.errors_path, self.manifest, self.side_path):
            if path is not None and path.is_symlink():
                raise OutputError(
                    f"{path}: is a link; nlpkit writes only files it creates (remove the link, or use --force)"
                )
        done = self._resume_rows(saved) if resume else 0
        self._create_outputs(resume)
        self.summary.resumed_after = done
        self._write_manifest("running")
        if self.errors_path is not None:
            self._errors_file = open_append(self.errors_path)
        self._t0 = time.perf_counter()
        return done

    def _check_fresh(self, saved: dict[str, Any] | None) -> None:
        """A new job: none of its files may exist yet (a planted link counts)."""
        if self.out.exists() or self.out.is_symlink() or self.spool.exists() or self.spool.is_symlink():
            hint = (
                "use --resume to continue it or --force to start over"
                if saved and saved.get("status") != "complete"
                else "use --force to overwrite it"
            )
            raise OutputError(f"{self.out}: already exists; {hint}")
        for extra in (self.errors_path, self.side_path):
            if extra is not None and (extra.exists() or extra.is_symlink()):
                raise OutputError(f"{extra}: already exists; use --force to overwrite it")

    def _create_outputs(self, resume: bool) -> None:
        """The output (or spool) and errors file created new, so no link or stray file is written through
        (a resumed job keeps the ones it checked)."""
        for path in (self.spool, self.errors_path, self.side_path):
            if path is None or (resume and path.exists()):
                continue
            try:
                create_new(path)
            except FileExistsError:
                raise OutputError(f"{path}: already exists; use --force to overwrite it") from None

    def _read_manifest(self) -> dict[str, Any] | None:
        if not self.manifest.exists() and not self.manifest.is_symlink():
            return None
        try:
            saved = json.loads(read_small(self.manifest, 64 * 1024 * 1024).decode("utf-8"))
        except (OSError, ValueError, RecursionError) as e:
            raise OutputError(
                f"{self.manifest}: not a job manifest nlpkit wrote ({describe(e)}); use --force to start over"
            ) from e
        if not isinstance(saved, dict) or not _manifest_fields_ok(saved):
            raise OutputError(f"{self.manifest}: not a job manifest nlpkit wrote; use --force to start over")
        return saved

    def _check_resumable(self, saved: dict[str, Any] | None) -> None:
        if saved is None:
            if self.spool.exists():
                raise OutputError(
                    f"{self.out}: exists but was not written by nlpkit score; use --force to overwrite it"
                )
            return
        if saved.get("status") == "complete" and self.out.exists():
            raise OutputError(f"{self.out}: this job already finished; use --force to run it again")
        job = saved.get("job", {})
        if {k: v for k, v in job.items() if k != "models"} != {k: v for k, v in self.job.items() if k != "models"}:
            raise UsageError(
                f"{self.out}: was started with other inputs or options; rerun with the same ones, or --force"
            )
        was, now = job.get("models") or {}, self.job.get("models") or {}
        if was != now:
            changed = ", ".join(
                f"{k}: {was.get(k)} -> {now.get(k)}" for k in sorted({*was, *now}) if was.get(k) != now.get(k)
            )
            raise UsageError(
                f"{self.out}: a model changed since the job started ({changed}); one output never mixes two "
                "models: rerun with the same models, or --force to start over"
            )

    def _resume_rows(self, saved: dict[str, Any] | None) -> int:
        """Cut a partial last row, check the output against the manifest, rebuild tallies and errors."""
        try:
            done = self.writer.resume()
            rows = list(self.writer.read_rows()) if done else []
        except (ValueError, UnicodeDecodeError) as e:
            raise OutputError(
                f"{self.out}: damaged (a row is not valid {self.fmt.upper()}: {describe(e)}); use --force to start over"
            ) from e
        written = int((saved or {}).get("rows", 0))
        if done < written or (done == written and written and (saved or {}).get("last_id") != rows[-1].get("id")):
            raise OutputError(
                f"{self.out}: holds {done} rows but the job wrote {written}; it was changed after it was written. "
                "Use --force to start over"
            )
        failed = []
        for row in rows:
            self.summary.read += 1
            if row.get("error"):
                self.summary.failed += 1
                self.summary.first_error = self.summary.first_error or str(row["error"])
                failed.append(error_record(row))
                continue
            self.summary.scored += 1
            for key, totals in (("topic", self.summary.topics), ("stance", self.summary.stances)):
                if row.get(key):
                    totals[row[key]] = totals.get(row[key], 0) + 1
            for kind in skip_kinds(row):
                self.summary.skipped[kind] = self.summary.skipped.get(kind, 0) + 1
        self.last_id = str(rows[-1]["id"]) if rows else None
        if self.errors_path is not None:  # rebuilt from the output, so it matches it exactly
            write_atomic(self.errors_path, _jsonl(failed))
        if self.side_writer is not None:  # claim rows of articles after the last complete row go
            self.summary.count_claims(self.side_writer.keep_rows_before(done))
        return done

    def skip_done(self, units: Iterable[Unit], done: int, fields: Fields) -> Iterator[Unit]:
        """The units after the first `done` records, checking that record `done` is the output's last row."""
        units = iter(units)
        left = done
        while left > 0:
            unit = next(units, None)
            if unit is None:
                raise UsageError(f"{self.out}: has {done} rows but the inputs now hold fewer articles; use --force")
            n = unit.count()
            if n is not None and n < left:  # wholly before the last done row: skipped unread
                left -= n
                continue
            split = getattr(unit, "split", None)
            if split is not None and n is not None:  # cut without reading it (web pages: nothing fetched)
                last_id, rest = split(left)
                self._check_last(done, last_id)
                if n > left:
                    yield rest
                left = 0
                continue
            records = unit.records(fields)
            if len(records) < left:
                left -= len(records)
                continue
            self._check_last(done, records[left - 1].id)
            if records[left:]:
                yield Parsed(tuple(records[left:]))
            left = 0
        yield from units

    def _check_last(self, done: int, last_id: str) -> None:
        """Input record `done` must be the output's last row, or the output or the inputs changed."""
        if last_id == self.last_id:
            return
        if self._saved_stamp == self.inputs_stamp:  # the inputs are as they were: the output changed
            raise OutputError(
                f"{self.out}: row {done} is {self.last_id!r} but input record {done} is {last_id!r}; "
                "the output was changed after it was written. Use --force to start over"
            )
        raise UsageError(
            f"{self.out}: row {done} is {self.last_id!r} but input record {done} is {last_id!r}; "
            "the inputs changed since the job started: rerun with the same inputs, or --force"
        )

    # -- running -----------------------------------------------------------------------------

    def add(self, batch: Batch) -> None:
        t0 = time.perf_counter()
        if self.side_writer is not None and batch.side:  # before the rows: a resume trims claim rows to the rows
            first = self.summary.read
            self.side_writer.write([{**r, "row": first + int(r["row"])} for r in batch.side])
        self.writer.write_bytes(batch.data)
        if self._errors_file is not None and batch.errors:
            self._errors_file.write(_jsonl(batch.errors).encode("utf-8"))
            self._errors_file.flush()
        self.summary.add(batch)
        if batch.last_id is not None:
            self.last_id = batch.last_id
        self._write_manifest("running")
        self.summary.stages["write"] = self.summary.stages.get("write", 0.0) + time.perf_counter() - t0

    def finish(self) -> ScoreSummary:
        self.close()
        if self.fmt == "parquet":
            finish_parquet(self.spool, self.out, self.columns, self.column_types)
        self._write_manifest("complete")
        return self.summary

    def close(self) -> None:
        self.summary.seconds = time.perf_counter() - self._t0
        if self._errors_file is not None:
            self._errors_file.close()
            self._errors_file = None

    def _write_manifest(self, status: str) -> None:
        body = {
            "job": self.job,
            "inputs_stamp": self.inputs_stamp,
            "status": status,
            "rows": self.summary.read,
            "last_id": self.last_id,
            "summary": self.summary.to_dict(),
        }
        write_atomic(self.manifest, json.dumps(body, indent=2))


def _manifest_fields_ok(saved: dict[str, Any]) -> bool:
    """The fields a resume reads have the types nlpkit writes (a hand-edited manifest is refused)."""
    rows = saved.get("rows", 0)
    return (
        isinstance(rows, int)
        and not isinstance(rows, bool)
        and 0 <= rows < 2**62
        and isinstance(saved.get("last_id"), str | None)
        and isinstance(saved.get("status", ""), str)
        and isinstance(saved.get("job", {}), dict)
        and isinstance(saved.get("inputs_stamp"), str | None)
    )


def _jsonl(records: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
