"""`nlpkit score --engine ray`: the same job on a Ray cluster, through Ray Data.

The driver plans the same units as the local engine (file lists, JSONL byte ranges, zip
member lists: paths, not contents, so the files must be where the cluster can read them),
a pool of actors — each loading the models once — reads, scores and encodes them, and the
driver writes the batches in input order through the same `OutputJob`: the output file,
errors file, resume and summary are those of the local engine, row for row.
"""

from __future__ import annotations

import dataclasses
import json
import socket
from typing import Any

from nlpkit.errors import UsageError, describe, missing_extra
from nlpkit.io.units import WebInputs, plan_units, prefetch
from nlpkit.io.web import Fetcher
from nlpkit.jobs import Batch, ScoreSummary
from nlpkit.scorer import Scorer, ScoreRequest, UnitScorer


class _RayUnitScorer:
    """Ray Data actor: loads the models once, scores one unit per call."""

    def __init__(self, options: Any, fields: Any, fmt: str) -> None:
        self.work = UnitScorer(options, fields, fmt)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        out = [self.work(unit) for unit in batch["unit"]]
        return {
            "data": [b.data for b in out],
            "meta": [json.dumps({k: v for k, v in dataclasses.asdict(b).items() if k != "data"}) for b in out],
        }


def _batch(row: dict[str, Any]) -> Batch:
    meta = json.loads(row["meta"])
    meta["errors"] = tuple(meta["errors"])
    return Batch(data=bytes(row["data"]), **meta)


def score_ray(request: ScoreRequest) -> ScoreSummary:
    """Run a scoring job with Ray Data (a local Ray, or the cluster at `request.ray_address`)."""
    try:
        import ray
    except ImportError:
        raise missing_extra(ModuleNotFoundError(name="ray"), "--engine ray") or UsageError(
            "the Ray engine needs Ray"
        ) from None
    if "-" in request.inputs:
        raise UsageError("the Ray engine reads files, not stdin; use the local engine for -")
    check_address(request.ray_address)
    # a bad model or option is one clear error here, not one per actor
    job = request.output_job("ray", Scorer(request.options).models())
    done = job.start(inputs=request.files(), force=request.force, resume=request.resume)
    fetcher = Fetcher(request.web)
    planned = plan_units(
        request.inputs,
        request.fields,
        size=request.batch_size,
        follow_links=request.follow_links,
        exclude=job.own_files(),
        web=WebInputs(fetcher, request.urls),
    )
    # web pages are fetched here, politely per host; the actors parse and score them
    units = list(prefetch(job.skip_done(planned, done, request.fields) if done else planned, fetcher))
    job.summary.fetched = fetcher.fetched
    job.summary.stages["fetch"] = fetcher.seconds
    try:
        if units:
            _run(ray, request, units, job)
    finally:
        job.close()
    return job.finish()


def check_address(address: str | None, timeout: float = 5.0) -> None:
    """A Ray cluster address that answers within `timeout` seconds (Ray itself would wait minutes)."""
    if not address or address in ("auto", "local"):
        return
    rest = address.split("://", 1)[-1]
    host, _, port = rest.rpartition(":")
    if not host or not port.isdigit():
        raise UsageError(f"--ray-address {address!r}: give HOST:PORT (or ray://HOST:PORT, or auto)")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as e:
        raise UsageError(
            f"--ray-address {address}: no Ray cluster answers there ({describe(e)}); start one with "
            "`ray start --head` or leave --ray-address out to run Ray on this machine"
        ) from None


def _run(ray: Any, request: ScoreRequest, units: list[Any], job: Any) -> None:
    if not ray.is_initialized():
        # A local Ray gets exactly the workers' CPUs: the driver only plans and writes.
        ray.init(
            address=request.ray_address,
            num_cpus=None if request.ray_address else request.workers,
            include_dashboard=False,
            log_to_driver=False,
            configure_logging=False,
        )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.execution_options.preserve_order = True
    fmt = job.fmt
    ds = ray.data.from_items([{"unit": u} for u in units], override_num_blocks=len(units))
    scored = ds.map_batches(
        _RayUnitScorer,
        fn_constructor_kwargs={"options": request.options, "fields": request.fields, "fmt": fmt},
        batch_size=1,
        batch_format="numpy",
        concurrency=request.workers,
    )
    for row in scored.iter_rows():
        job.add(_batch(row))
        if request.progress is not None:
            request.progress(job.summary)
