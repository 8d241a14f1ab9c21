"""Measuring a command for the benchmarks: wall time, CPU time, peak RSS of its process tree,
its output lines with the time each arrived, and the step timeline of the Dagster run it made.

Peak memory is the largest sum, over one sample, of the resident set sizes of the process and
every descendant alive then (dbt's subprocess included), read from /proc every 0.1 s. Shared
pages count once per process, so the figure errs high, never low.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.1


def _parents() -> dict[int, int]:
    """Every live process id and its parent's id, from /proc."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                # The command name may hold spaces and parentheses: parse after the last ')'.
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
    return parents


def tree_rss_bytes(root: int) -> int:
    """Resident bytes of `root` and all its descendants now (0 once they are gone)."""
    children: dict[int, list[int]] = {}
    for pid, parent in _parents().items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, ()))
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE_SIZE
        except OSError:
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the RSS of a process tree in the background until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.samples: list[tuple[float, int]] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Sample until `stop()`."""
        while not self._stop_event.is_set():
            self.samples.append((time.time(), tree_rss_bytes(self.root)))
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        """Stop sampling and wait for the thread."""
        self._stop_event.set()
        self.join()

    @property
    def peak(self) -> tuple[float, int]:
        """(time, bytes) of the largest sample."""
        return max(self.samples, key=lambda sample: sample[1], default=(0.0, 0))


@dataclass
class Measured:
    """One command's run: times (Unix seconds), resources and output lines."""

    command: list[str]
    started: float
    ended: float
    returncode: int
    cpu_seconds: float
    peak_rss: int
    peak_at: float
    samples: list[tuple[float, int]] = field(default_factory=list)
    lines: list[tuple[float, str]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        """Wall-clock seconds from start to exit."""
        return self.ended - self.started

    def first_line(self, text: str, after: float = 0.0) -> float | None:
        """When the first output line containing `text` arrived (after `after`), if any."""
        return next((at for at, line in self.lines if text in line and at >= after), None)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(
    command: Sequence[str],
    env: Mapping[str, str],
    log_path: Path,
    cwd: Path | None = None,
) -> Measured:
    """Run `command` to its end, sampling its tree's RSS and timestamping each output line.

    Standard output and standard error are merged into `log_path`, each line prefixed with the
    seconds since the start.
    """
    cpu_before = _children_cpu()
    started = time.time()
    process = subprocess.Popen(
        list(command),
        env=dict(env),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        bufsize=1,
    )
    sampler = TreeSampler(process.pid)
    sampler.start()
    lines: list[tuple[float, str]] = []
    with open(log_path, "w") as log:
        for line in process.stdout:
            now = time.time()
            lines.append((now, line.rstrip("\n")))
            log.write(f"{now - started:9.2f} {line}")
    returncode = process.wait()
    ended = time.time()
    sampler.stop()
    peak_at, peak = sampler.peak
    return Measured(
        command=list(command),
        started=started,
        ended=ended,
        returncode=returncode,
        cpu_seconds=_children_cpu() - cpu_before,
        peak_rss=peak,
        peak_at=peak_at,
        samples=sampler.samples,
        lines=lines,
    )


@dataclass(frozen=True)
class Step:
    """One step of a Dagster run: its key and when it started and ended (Unix seconds)."""

    key: str
    start: float
    end: float

    @property
    def seconds(self) -> float:
        """How long the step took."""
        return self.end - self.start


@dataclass(frozen=True)
class Timeline:
    """The newest run stored under a DAGSTER_HOME: when it started and ended, its steps, and
    how many events it stored (the *_PLANNED ones are written while the run is created)."""

    run_id: str
    job_name: str
    status: str
    start: float
    end: float
    steps: tuple[Step, ...]
    events: int = 0
    planned_events: int = 0
    planned_seconds: float = 0.0

    def step(self, key: str) -> Step | None:
        """The step with this key, if the run had it."""
        return next((step for step in self.steps if step.key == key), None)


def read_timeline(dagster_home: Path) -> Timeline:
    """Read the newest run's step start and end events from the instance under `dagster_home`."""
    import dagster as dg

    kinds = dg.DagsterEventType
    starts, ends, planned = {}, {}, []
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        run = instance.get_runs(limit=1)[0]
        run_start = run_end = None
        records = instance.all_logs(run.run_id)
        for record in records:
            event = record.dagster_event
            if event is None:
                continue
            kind = event.event_type
            if kind in (kinds.ASSET_MATERIALIZATION_PLANNED, kinds.ASSET_CHECK_EVALUATION_PLANNED):
                planned.append(record.timestamp)
            elif kind == kinds.RUN_START:
                run_start = record.timestamp
            elif kind in (kinds.RUN_SUCCESS, kinds.RUN_FAILURE):
                run_end = record.timestamp
            elif kind == kinds.STEP_START:
                starts[event.step_key] = record.timestamp
            elif kind in (kinds.STEP_SUCCESS, kinds.STEP_FAILURE):
                ends[event.step_key] = record.timestamp
    steps = tuple(
        sorted(
            (Step(key, start, ends.get(key, start)) for key, start in starts.items()),
            key=lambda step: step.start,
        )
    )
    return Timeline(
        run_id=run.run_id,
        job_name=run.job_name,
        status=run.status.value,
        start=run_start or (steps[0].start if steps else 0.0),
        end=run_end or (steps[-1].end if steps else 0.0),
        steps=steps,
        events=len(records),
        planned_events=len(planned),
        planned_seconds=max(planned) - min(planned) if planned else 0.0,
    )


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, e.g. '2.31/1.80/1.20'."""
    return "/".join(f"{value:.1f}" for value in os.getloadavg())
