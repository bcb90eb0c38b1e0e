"""The local engine: worker processes on this machine, each loading the models once.

The main process plans units (it lists files and cuts JSONL into byte ranges, parsing
nothing it can leave to the workers), keeps at most two units per worker in flight, and
writes finished batches in input order. Workers read, parse, score and encode their unit.

Interrupts end the job cleanly: Ctrl-C and SIGTERM stop it between two batches (the output
stays resumable), the workers ignore Ctrl-C (the main process handles it) and die with the
main process even when it is killed.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any

from nlpkit import config
from nlpkit.errors import Interrupted, NlpkitError, describe
from nlpkit.io.units import Unit, WebInputs, plan_units, prefetch
from nlpkit.io.web import Fetcher
from nlpkit.io.writers import output_format
from nlpkit.jobs import Batch, ScoreSummary
from nlpkit.scorer import ScoreOptions, Scorer, ScoreRequest, UnitScorer


class _Stop(threading.Event):
    """Set by the first Ctrl-C or SIGTERM; remembers which."""

    signum = signal.SIGINT


def score_local(request: ScoreRequest) -> ScoreSummary:
    """Run a scoring job in this process (one worker) or in worker processes."""
    # a bad model or option is one clear error here, before any output
    scorer = Scorer(request.options)
    job = request.output_job("local", scorer.models())
    done = job.start(inputs=request.files(), force=request.force, resume=request.resume)
    fetcher = Fetcher(request.web)
    units: Iterable[Unit] = plan_units(
        request.inputs,
        request.fields,
        size=request.batch_size,
        follow_links=request.follow_links,
        exclude=job.own_files(),
        web=WebInputs(fetcher, request.urls),
        stdin_format=request.stdin_format,
    )
    if done:
        units = job.skip_done(units, done, request.fields)
    units = prefetch(units, fetcher, ahead=2 * request.workers)
    try:
        with _stop_signals() as stop:
            ahead = iter(units)
            head = list(islice(ahead, 2))
            units = chain(head, ahead)
            # One unit (a small input) is one worker's work: starting workers would only add their start-up.
            if request.workers <= 1 or len(head) < 2:  # the models just checked do the work
                job.summary.workers = 1
                batches = _in_process(units, request, stop, scorer)
            else:  # each worker loads its own: this process needs them no more
                del scorer
                batches = _in_workers(units, request, stop)
            for batch in batches:
                job.add(batch)
                job.summary.fetched = fetcher.fetched
                job.summary.stages["fetch"] = fetcher.seconds
                if request.progress is not None:
                    request.progress(job.summary)
                if stop.is_set():
                    break
            if stop.is_set():
                raise Interrupted(_interrupted(request), stop.signum)
    finally:
        job.close()
    return job.finish()


def _interrupted(request: ScoreRequest) -> str:
    return f"interrupted; the rows written so far are kept: rerun with --resume to continue {request.out}"


@contextmanager
def _stop_signals() -> Iterator[_Stop]:
    """Ctrl-C and SIGTERM set an event the job checks between batches; a second Ctrl-C stops at once."""
    stop = _Stop()
    if not _main_thread():
        yield stop
        return

    def handler(signum: int, frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.signum = signal.Signals(signum)
        stop.set()

    before = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for s, h in before.items():
            signal.signal(s, h)


def _in_process(units: Iterable[Unit], request: ScoreRequest, stop: threading.Event, scorer: Scorer) -> Iterator[Batch]:
    from threadpoolctl import threadpool_limits

    work = UnitScorer(request.options, request.fields, job_format(request), scorer=scorer)
    # One OpenMP/BLAS thread: per-call threading costs more than it gains on batches this small.
    with threadpool_limits(limits=1):
        for unit in units:
            if stop.is_set():
                return
            yield work(unit)


def job_format(request: ScoreRequest) -> str:
    return output_format(request.out)


# -- worker processes ------------------------------------------------------------------------

_WORK: UnitScorer | None = None


def _worker_main(options: ScoreOptions, fields: Any, fmt: str, tasks: Any, results: Any, parent: int) -> None:
    """A worker: load the models once, then score units until told to stop."""
    global _WORK
    from threadpoolctl import threadpool_limits

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _die_with_parent(parent)
    try:
        _WORK = UnitScorer(options, fields, fmt)
    except BaseException as e:  # reported to the main process, which stops the job
        results.put((-1, f"a worker could not load the models: {describe(e)}"))
        return
    # One BLAS/OpenMP thread per worker: the workers already fill the cores. Set once the models are loaded:
    # threadpoolctl reaches only the libraries loaded by then, and a neural model brings torch's pool.
    threadpool_limits(limits=1)
    while True:
        item = tasks.get()
        if item is None:
            return
        seq, unit = item
        try:
            results.put((seq, _WORK(unit)))
        except BaseException as e:
            results.put((seq, f"{type(e).__name__}: {describe(e)}"))


def _die_with_parent(parent: int) -> None:
    """End this worker when the main process ends, however it ends (even by SIGKILL)."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(1.0)
        os._exit(1)

    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


@contextmanager
def _children_deaf_to_ctrl_c() -> Iterator[None]:
    """Start helper processes with SIGINT ignored (kept across exec), so Ctrl-C in a terminal, which
    reaches the whole process group, cannot interrupt a worker while it imports; and without the
    resource tracker's warning about semaphores left behind when the main process is killed."""
    before = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    quiet = "ignore::UserWarning:multiprocessing.resource_tracker"
    warnings = os.environ.get("PYTHONWARNINGS")
    os.environ["PYTHONWARNINGS"] = f"{warnings},{quiet}" if warnings else quiet
    # The helpers start with standard error on /dev/null (they report through the results queue): a
    # worker still starting when the main process is killed cannot print multiprocessing's traceback.
    saved_stderr = None if config.DEBUG else _point_stderr_at_devnull()
    try:
        yield
    finally:
        if saved_stderr is not None:
            os.dup2(saved_stderr, 2)
            os.close(saved_stderr)
        if warnings is None:
            os.environ.pop("PYTHONWARNINGS", None)
        else:
            os.environ["PYTHONWARNINGS"] = warnings
        if before is not None:
            signal.signal(signal.SIGINT, before)


def _point_stderr_at_devnull() -> int | None:
    """Point file descriptor 2 at /dev/null; return a copy of what it was (None when that cannot be done)."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        return None
    return saved


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _in_workers(units: Iterable[Unit], request: ScoreRequest, stop: threading.Event) -> Iterator[Batch]:
    """Score units in worker processes; yield their batches in input order."""
    ctx = multiprocessing.get_context("spawn")  # not fork: forking a threaded process can deadlock
    with _children_deaf_to_ctrl_c():
        tasks: Any = ctx.Queue()  # starts multiprocessing's resource tracker
        results: Any = ctx.Queue()
        args = (request.options, request.fields, job_format(request), tasks, results, os.getpid())
        procs = [ctx.Process(target=_worker_main, args=args, daemon=True) for _ in range(request.workers)]
        for p in procs:
            p.start()
    try:
        yield from _ordered(units, tasks, results, procs, request.workers, stop)
    finally:
        for _ in procs:
            tasks.put(None)
        for p in procs:
            p.join(timeout=0.5 if stop.is_set() else 5)
            if p.is_alive():
                p.kill()
                p.join()
        tasks.cancel_join_thread()
        results.cancel_join_thread()


def _ordered(
    units: Iterable[Unit], tasks: Any, results: Any, procs: list[Any], workers: int, stop: threading.Event
) -> Iterator[Batch]:
    """Feed at most two units per worker ahead; hand back results in submission order."""
    it = iter(units)
    sent = received = 0
    done: dict[int, Any] = {}
    exhausted = False
    while True:
        while not exhausted and sent - received < 2 * workers and not stop.is_set():
            unit = next(it, None)
            if unit is None:
                exhausted = True
                break
            tasks.put((sent, unit))
            sent += 1
        if received == sent and (exhausted or stop.is_set()):
            return
        while received not in done:
            try:
                seq, value = results.get(timeout=0.5)
            except queue.Empty:
                if stop.is_set():
                    return
                dead = [p for p in procs if not p.is_alive()]
                if dead:
                    raise NlpkitError(f"a worker process ended unexpectedly (exit code {dead[0].exitcode})") from None
                continue
            if seq < 0:
                raise NlpkitError(str(value))
            done[seq] = value
        value = done.pop(received)
        received += 1
        if isinstance(value, str):
            raise NlpkitError(f"scoring failed in a worker: {value}")
        yield value
