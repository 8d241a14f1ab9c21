"""Benchmark: the whole pipeline, stage by stage, against the plain-DuckDB floor.

    .venv/bin/python bench/pipeline.py                  # tiny run, 1 M and 10 M lines, +1 month
    .venv/bin/python bench/pipeline.py --with-50m       # and 50 M lines, last
    .venv/bin/python bench/pipeline.py --sizes 1000000 --no-overhead --no-incremental

For each size: generate the seed-42 sample (`generate_sample`, cached in --work-dir), run
`tradepulse run` in a subprocess on a fresh warehouse, marts dir and DAGSTER_HOME, then run
`bench/floor.py` on the same files. Stage seconds come from the Dagster event log of that run
(STEP_START / STEP_SUCCESS of each step, read with DagsterInstance from its DAGSTER_HOME):
ingest = raw_* steps, dbt build = dbt_models (seeds, models and dbt tests), GX checks = gx_*
steps, publish = published_marts, report = report_html; start-up = process start to RUN_START;
other = freshness checks, Dagster's time between steps and the headline print after the run.
Peak memory is the RSS of the whole process tree (dbt subprocesses included), sampled from
/proc every 0.1 s. CPU s is user + system time of the tree, a figure a busy machine inflates
less than wall time.

Then, on the largest size up to 10 M: one more month of orders (a copy of the last month moved
one month on, new order ids), loaded by the `refresh_month` job for that partition alone, timed
against the full run. And the fixed overhead, on 10 k lines: a run in a new location (dbt parses
the project, its profile's paths being new), the same run again on an empty warehouse (nothing
changed: no parse), imports, dbt parse, runs with the dbt manifest cold and warm, each stage.
Prints figures; not a test. Runs the big sizes last.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from measure import Measured, Timeline, load_average, read_timeline, run_measured

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
STAGES = ("ingest", "dbt build", "GX checks", "publish", "report", "start-up", "other")
SEED = 42
TINY = 10_000
NEW_MONTH = "2023-11"
# What the dbt asset logs before its build, followed by the build's target dir.
TARGET_LOG = "dbt's logs, compiled SQL and run_results.json: "


def log(message: str) -> None:
    """Progress on standard error."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def stage_of(step_key: str) -> str:
    """The stage a Dagster step belongs to."""
    if step_key.endswith("_fresh"):
        return "other"
    if step_key.startswith("raw_"):
        return "ingest"
    if step_key == "dbt_models":
        return "dbt build"
    if step_key.startswith("gx_"):
        return "GX checks"
    return {"published_marts": "publish", "report_html": "report"}.get(step_key, "other")


@dataclass
class RunFigures:
    """One measured pipeline run."""

    label: str
    order_lines: int
    seconds: float
    cpu_seconds: float
    peak_rss: int
    peak_stage: str
    stages: dict[str, float]
    steps: dict[str, float]
    dbt_phases: dict[str, float]
    dbt_nodes: dict
    load: str
    log: str
    events: int = 0
    planned_events: int = 0
    planned_seconds: float = 0.0


def stage_seconds(run: Measured, timeline: Timeline) -> dict[str, float]:
    """Seconds per stage; `other` is what the steps and the start-up leave of the total."""
    stages = dict.fromkeys(STAGES, 0.0)
    stages["start-up"] = timeline.start - run.started
    for step in timeline.steps:
        stages[stage_of(step.key)] += step.seconds
    stages["other"] = 0.0
    stages["other"] = run.seconds - sum(stages.values())
    return stages


def dbt_phases(run: Measured, timeline: Timeline) -> dict[str, float]:
    """The dbt step split by the lines dagster-dbt and dbt print as they go."""
    step = timeline.step("dbt_models")
    if step is None:
        return {}
    marks = [
        ("dagster-dbt set-up", run.first_line("Running dbt command", step.start)),
        ("dbt start-up", run.first_line("Running with dbt=", step.start)),
        ("dbt parse", run.first_line("Found ", step.start)),
        ("dbt execute", run.first_line("Finished running", step.start)),
        ("dagster-dbt wrap-up", step.end),
    ]
    phases, previous = {}, step.start
    for name, at in marks:
        if at is not None:
            phases[name] = at - previous
            previous = at
    return phases


def dbt_nodes(run: Measured, timeline: Timeline, slowest: int = 8) -> dict:
    """dbt's own node timings from the invocation's run_results.json: sums by kind, slowest."""
    step = timeline.step("dbt_models")
    logged = next(
        (line for at, line in run.lines if step and at >= step.start and TARGET_LOG in line), None
    )
    if logged is None:
        return {}
    target = Path(logged.split(TARGET_LOG, 1)[1].strip())
    try:
        results = json.loads((target / "run_results.json").read_text())
    except (OSError, ValueError):
        return {}
    by_kind: dict[str, float] = {}
    for node in results["results"]:
        kind = node["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + node["execution_time"]
    nodes = sorted(results["results"], key=lambda node: -node["execution_time"])[:slowest]
    return {
        "elapsed": results["elapsed_time"],
        "by_kind": by_kind,
        "slowest": [[node["unique_id"], node["execution_time"]] for node in nodes],
    }


def peak_stage(run: Measured, timeline: Timeline) -> str:
    """The step (or phase) running when the tree's RSS peaked."""
    for step in timeline.steps:
        if step.start <= run.peak_at <= step.end:
            return step.key
    return "start-up" if run.peak_at < timeline.start else "after the run"


def pipeline_env(run_dir: Path, raw_dir: Path) -> dict[str, str]:
    """The environment of a benchmarked run: its own files and its own DAGSTER_HOME."""
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "TRADEPULSE_RAW_DIR": str(raw_dir),
        "TRADEPULSE_WAREHOUSE": str(run_dir / "warehouse.duckdb"),
        "TRADEPULSE_MARTS_DIR": str(run_dir / "marts"),
        "DAGSTER_HOME": str(run_dir / "dagster"),
        "PYTHONUNBUFFERED": "1",
    }


def fresh_run_dir(run_dir: Path) -> Path:
    """An empty run dir with an empty DAGSTER_HOME (telemetry off: no network on this box)."""
    shutil.rmtree(run_dir, ignore_errors=True)
    (run_dir / "dagster").mkdir(parents=True)
    (run_dir / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return run_dir


def ensure_sample(work_dir: Path, order_lines: int) -> Path:
    """The seed-42 sample of `order_lines` lines, generated once into the work dir."""
    sample_dir = work_dir / "samples" / f"lines-{order_lines}"
    marker = sample_dir / "sample.json"
    wanted = {"order_lines": order_lines, "seed": SEED}
    raw_dir = sample_dir / "raw"
    (raw_dir / "orders" / f"{NEW_MONTH}.parquet").unlink(missing_ok=True)
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return raw_dir
    from pipelines.generate.sample import generate_sample

    log(f"generating {order_lines:,} order lines (seed {SEED}) into {raw_dir}")
    summary = generate_sample(raw_dir, seed=SEED, order_lines=order_lines, overwrite=True)
    log(f"  generated in {summary.seconds:.1f} s")
    marker.write_text(json.dumps(wanted))
    return raw_dir


def measure_run(
    label: str,
    command: list[str],
    env: dict[str, str],
    run_dir: Path,
    order_lines: int,
    cwd: Path | None = None,
) -> RunFigures:
    """Run one pipeline command, then read its Dagster run and derive the figures."""
    log_path = run_dir / f"{label.replace(' ', '_')}.log"
    log(f"{label}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(command))}")
    run = run_measured(command, env, log_path, cwd=cwd)
    if run.returncode != 0:
        tail = "\n".join(line for _, line in run.lines[-30:])
        raise SystemExit(f"{label} failed (exit {run.returncode}); log: {log_path}\n{tail}")
    timeline = read_timeline(Path(env["DAGSTER_HOME"]))
    steps: dict[str, float] = {}
    for step in timeline.steps:
        steps[step.key] = steps.get(step.key, 0.0) + step.seconds
    figures = RunFigures(
        label=label,
        order_lines=order_lines,
        seconds=run.seconds,
        cpu_seconds=run.cpu_seconds,
        peak_rss=run.peak_rss,
        peak_stage=peak_stage(run, timeline),
        stages=stage_seconds(run, timeline),
        steps=steps,
        dbt_phases=dbt_phases(run, timeline),
        dbt_nodes=dbt_nodes(run, timeline),
        load=load_average(),
        log=str(log_path),
        events=timeline.events,
        planned_events=timeline.planned_events,
        planned_seconds=timeline.planned_seconds,
    )
    log(f"  {run.seconds:.1f} s, peak RSS {gib(run.peak_rss)} GiB, load {figures.load}")
    return figures


def measure_floor(raw_dir: Path, run_dir: Path, env: dict[str, str]) -> dict:
    """Run bench/floor.py in a subprocess; its JSON figures plus wall time and peak RSS."""
    command = [sys.executable, str(ROOT / "bench" / "floor.py"), str(raw_dir)]
    command += ["--database", str(run_dir / "floor.duckdb")]
    log("floor: bench/floor.py")
    run = run_measured(command, env, run_dir / "floor.log")
    if run.returncode != 0:
        raise SystemExit(f"the floor failed: {run.lines[-5:]}")
    figures = json.loads(run.lines[-1][1])
    figures.update(
        wall_seconds=run.seconds,
        cpu_seconds=run.cpu_seconds,
        peak_rss=run.peak_rss,
        load=load_average(),
    )
    log(f"  {run.seconds:.1f} s, peak RSS {gib(run.peak_rss)} GiB")
    return figures


def compare_with_floor(marts_dir: Path, floor: dict) -> list[str]:
    """Differences between the published headline KPIs and shortlist and the floor's."""
    import duckdb

    sys.path.insert(0, str(ROOT / "bench"))
    from floor import FloorResult, read_figures

    published = FloorResult(seconds=0.0)
    with duckdb.connect(str(marts_dir / "marts.duckdb"), read_only=True) as conn:
        read_figures(conn, published)
    differences = []
    if published.period != floor["period"]:
        differences.append(f"period {published.period} != {floor['period']}")
    for key, values in published.headlines.items():
        theirs = floor["headlines"].get(key, [])
        if len(values) != len(theirs) or any(
            (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-9 * max(1, abs(a)))
            for a, b in zip(values, theirs, strict=False)
        ):
            differences.append(f"{key}: pipeline {values} != floor {theirs}")
    if published.shortlist != floor["shortlist"]:
        differences.append("the pavilion shortlists differ")
    return differences


def gib(size: int) -> str:
    """Bytes as GiB with two decimals."""
    return f"{size / 2**30:.2f}"


def full_run(work_dir: Path, order_lines: int) -> dict:
    """Generate (or reuse) a sample, run the pipeline and the floor on it, compare them."""
    raw_dir = ensure_sample(work_dir, order_lines)
    run_dir = fresh_run_dir(work_dir / "runs" / f"lines-{order_lines}")
    env = pipeline_env(run_dir, raw_dir)
    command = [str(BIN / "tradepulse"), "run"]
    run = measure_run(f"full {order_lines:,}", command, env, run_dir, order_lines)
    floor = measure_floor(raw_dir, run_dir, env)
    differences = compare_with_floor(run_dir / "marts", floor)
    for difference in differences:
        log(f"  MISMATCH {difference}")
    return {"run": asdict(run), "floor": floor, "differences": differences}


def add_month(raw_dir: Path) -> Path:
    """Write orders/<NEW_MONTH>.parquet: the last month's lines one month on, new order ids."""
    import duckdb

    source = raw_dir / "orders" / "2023-10.parquet"
    target = raw_dir / "orders" / f"{NEW_MONTH}.parquet"
    shifted = ", ".join(
        f"{column} + interval 1 month as {column}"
        for column in ("ordered_at", "shipped_at", "delivered_at")
    )
    with duckdb.connect() as conn:
        conn.execute("set timezone = 'UTC'")
        conn.execute(
            f"copy (select * replace (order_id || '-{NEW_MONTH}' as order_id, {shifted}, "
            "cast(promised_ship_by + interval 1 month as date) as promised_ship_by) "
            "from read_parquet(?)) to ? (format parquet, compression zstd)",
            [str(source), str(target)],
        )
    return target


def incremental(work_dir: Path, order_lines: int, full: dict, rerun: bool) -> dict:
    """Add one month on top of the full run's warehouse and refresh that partition alone."""
    raw_dir = ensure_sample(work_dir, order_lines)
    run_dir = work_dir / "runs" / f"lines-{order_lines}"
    env = pipeline_env(run_dir, raw_dir)
    added = add_month(raw_dir)
    try:
        partition = f"{NEW_MONTH}-01"
        command = [sys.executable, __file__, "--child-refresh", partition]
        label = f"refresh_month {partition}"
        results = {"refresh": asdict(measure_run(label, command, env, run_dir, order_lines))}
        if rerun:
            command = [str(BIN / "tradepulse"), "run"]
            label = "tradepulse run again"
            results["rerun"] = asdict(measure_run(label, command, env, run_dir, order_lines))
    finally:
        added.unlink(missing_ok=True)
    results["full_seconds"] = full["run"]["seconds"]
    return results


def child_refresh(partition: str) -> int:
    """In a child process: run the refresh_month job for one partition, as the schedules do."""
    from pipelines.definitions import defs
    from pipelines.run.pipeline import QUIET_RUN_CONFIG, instance

    job = defs.resolve_job_def("refresh_month")
    with instance() as dagster_instance:
        result = job.execute_in_process(
            instance=dagster_instance,
            partition_key=partition,
            run_config=QUIET_RUN_CONFIG,
            raise_on_error=False,
        )
    return 0 if result.success else 1


def timed_import(module: str, env: dict[str, str], scratch: Path) -> dict:
    """Seconds to import `module` in a fresh interpreter, and the process's whole wall time."""
    # A script file, not `python -c`: under -c a module pulled in by GX (pyspark) exits early.
    script = scratch / f"import_{module.replace('.', '_')}.py"
    script.write_text(
        f"import time\nt = time.perf_counter()\nimport {module}  # noqa\n"
        "print(time.perf_counter() - t)\n"
    )
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    printed = done.stdout.split()
    return {"import": float(printed[-1]) if printed else float("nan"), "process": wall}


def cold_dbt_parse(run_dir: Path, env: dict[str, str]) -> float:
    """Seconds of `dbt parse` into an empty target dir: what a cold manifest costs."""
    target = run_dir / "parse-target"
    shutil.rmtree(target, ignore_errors=True)
    command = [str(BIN / "dbt"), "parse", "--quiet", "--project-dir", str(ROOT / "dbt_project")]
    command += ["--profiles-dir", str(ROOT / "dbt_project"), "--target-path", str(target)]
    command += ["--log-path", str(run_dir / "parse-logs")]
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def project_copy(destination: Path) -> Path:
    """A copy of the code and dbt project without dbt's target/: its manifest starts cold."""
    shutil.rmtree(destination, ignore_errors=True)
    ignore = shutil.ignore_patterns("target", "logs", "__pycache__")
    for name in ("pipelines", "dbt_project"):
        shutil.copytree(ROOT / name, destination / name, ignore=ignore)
    return destination


def overhead(work_dir: Path) -> dict:
    """The fixed cost on the tiny sample: imports, dbt parse, runs with a warm and cold manifest."""
    raw_dir = ensure_sample(work_dir, TINY)
    # A path of its own each time: dbt keeps its parse per warehouse path, and this run is the
    # first one in a new location.
    runs_dir = work_dir / "runs" / f"lines-{TINY}"
    shutil.rmtree(runs_dir, ignore_errors=True)
    run_dir = fresh_run_dir(runs_dir / time.strftime("%Y%m%dT%H%M%S"))
    env = pipeline_env(run_dir, raw_dir)
    fingerprint = ROOT / "dbt_project" / "target" / ".tradepulse-manifest-fingerprint"
    before = fingerprint.stat().st_mtime if fingerprint.exists() else None
    command = [str(BIN / "tradepulse"), "run"]
    first = measure_run("tiny run, new location", command, env, run_dir, TINY)
    results: dict = {"first": asdict(first)}
    # The same run again where nothing changed: same paths, but an empty warehouse and marts
    # dir, so it is a full run. dbt re-uses the parse the first run saved for these paths.
    for output in (run_dir / "warehouse.duckdb", run_dir / "warehouse.duckdb.wal"):
        output.unlink(missing_ok=True)
    shutil.rmtree(run_dir / "marts", ignore_errors=True)
    results["again"] = asdict(measure_run("tiny run, again", command, env, run_dir, TINY))
    after = fingerprint.stat().st_mtime if fingerprint.exists() else None
    results["manifest_was_warm"] = before is not None and before == after
    results["floor"] = measure_floor(raw_dir, run_dir, env)

    log("imports, each in a fresh interpreter")
    modules = ("dagster", "dagster_dbt", "great_expectations", "pipelines.definitions")
    results["imports"] = {module: timed_import(module, env, run_dir) for module in modules}
    log("dbt parse into an empty target dir")
    results["dbt_parse_cold"] = cold_dbt_parse(run_dir, env)

    # Run from the copy (cwd and PYTHONPATH), ahead of the editable install of the working tree.
    copy = project_copy(work_dir / "project-copy")
    command = [sys.executable, "-m", "pipelines.cli", "run"]
    copy_fingerprint = copy / "dbt_project" / "target" / fingerprint.name
    for label in ("cold manifest", "warm manifest"):
        label_dir = fresh_run_dir(run_dir / label.replace(" ", "-"))
        label_env = {**pipeline_env(label_dir, raw_dir), "PYTHONPATH": str(copy)}
        before = copy_fingerprint.stat().st_mtime if copy_fingerprint.exists() else None
        run = measure_run(label, command, label_env, label_dir, TINY, cwd=copy)
        after = copy_fingerprint.stat().st_mtime if copy_fingerprint.exists() else None
        results[label] = asdict(run) | {"parsed_at_start_up": before != after}
    return results


def table(rows: list[list[str]], header: list[str]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def size_row(result: dict) -> list[str]:
    """One row of the main table."""
    run, floor = result["run"], result["floor"]
    stages = [f"{run['stages'][stage]:.1f}" for stage in STAGES]
    return [
        f"{run['order_lines']:,}",
        *stages,
        f"**{run['seconds']:.1f}**",
        f"{floor['wall_seconds']:.1f}",
        f"**{run['seconds'] / floor['wall_seconds']:.1f}x**",
        f"{gib(run['peak_rss'])} ({run['peak_stage']})",
        gib(floor["peak_rss"]),
        f"{run['order_lines'] / run['seconds']:,.0f}",
        f"{run['cpu_seconds']:.0f} / {floor['cpu_seconds']:.0f}",
        f"{run['load']} / {floor['load']}",
    ]


SIZE_HEADER = [
    "order lines",
    *(f"{stage} s" for stage in STAGES),
    "total s",
    "floor s",
    "total / floor",
    "peak RSS GiB (at)",
    "floor RSS GiB",
    "lines / s",
    "CPU s run / floor",
    "load avg after run / floor",
]


def details(run: dict) -> list[str]:
    """The slowest steps and the dbt step's phases of one run."""
    steps = sorted(run["steps"].items(), key=lambda item: -item[1])[:8]
    phases = ", ".join(f"{name} {seconds:.1f}" for name, seconds in run["dbt_phases"].items())
    lines = [
        f"{run['label']}: slowest steps: "
        + ", ".join(f"{key} {seconds:.1f}" for key, seconds in steps),
        f"{run['label']}: dbt step: {phases}",
    ]
    if run.get("events"):
        lines.append(
            f"{run['label']}: {run['events']} events stored in the run's event log; "
            f"{run['planned_events']} *_PLANNED events written at run creation in "
            f"{run['planned_seconds']:.1f} s (part of start-up)"
        )
    nodes = run.get("dbt_nodes") or {}
    if nodes:
        kinds = ", ".join(f"{kind} {seconds:.1f}" for kind, seconds in nodes["by_kind"].items())
        slowest = ", ".join(f"{name.split('.')[-1]} {s:.1f}" for name, s in nodes["slowest"])
        lines.append(f"{run['label']}: dbt node seconds (2 threads) by kind: {kinds}")
        lines.append(f"{run['label']}: slowest dbt nodes: {slowest}")
    return lines


def report(results: dict) -> None:
    """Print every table."""
    if results["sizes"]:
        print(f"\n## Full runs (`tradepulse run`) against the floor ({os.cpu_count()} cores)\n")
        print(table([size_row(result) for result in results["sizes"]], SIZE_HEADER))
    for result in results["sizes"]:
        print()
        print("\n".join(details(result["run"])))
        slowest = sorted(result["floor"]["statements"], key=lambda item: -item[1])[:3]
        print(f"floor: slowest statements: {', '.join(f'{n} {s:.1f}' for n, s in slowest)}")
        same = "yes" if not result["differences"] else "; ".join(result["differences"])
        print(f"same headline KPIs and shortlist as the floor: {same}")
    if "incremental" in results:
        inc = results["incremental"]
        full = inc["full_seconds"]
        print(f"\n## One more month on top of the full run ({full:.1f} s)\n")
        rows = [
            [
                inc[name]["label"],
                *(f"{inc[name]['stages'][stage]:.1f}" for stage in STAGES),
                f"**{inc[name]['seconds']:.1f}**",
                f"**{inc[name]['seconds'] / full:.0%}**",
                f"{gib(inc[name]['peak_rss'])} ({inc[name]['peak_stage']})",
                inc[name]["load"],
            ]
            for name in ("refresh", "rerun")
            if name in inc
        ]
        header = ["run", *(f"{s} s" for s in STAGES), "total s", "of full", "peak GiB", "load"]
        print(table(rows, header))
        for name in ("refresh", "rerun"):
            if name in inc:
                print("\n".join(details(inc[name])))
    if "overhead" in results:
        report_overhead(results["overhead"])


def report_overhead(over: dict) -> None:
    """Print the tiny run's breakdown."""
    print(f"\n## Fixed overhead: {TINY:,} lines\n")
    rows = [
        [
            over[name]["label"],
            *(f"{over[name]['stages'][stage]:.1f}" for stage in STAGES),
            f"**{over[name]['seconds']:.1f}**",
            f"{over[name]['cpu_seconds']:.0f}",
            over[name]["load"],
        ]
        for name in ("first", "again", "cold manifest", "warm manifest")
    ]
    print(table(rows, ["run", *(f"{s} s" for s in STAGES), "total s", "CPU s", "load"]))
    state = "untouched" if over["manifest_was_warm"] else "rewritten (a parse, ours or another's)"
    print(f"\nmanifest fingerprint of the working tree during the tiny run: {state}")
    for name in ("cold manifest", "warm manifest"):
        parsed = "ran" if over[name].get("parsed_at_start_up") else "did not run"
        print(f"{name} run (in a copy of the project): dbt parse at start-up {parsed}")
    for name in ("first", "again"):
        print("\n".join(details(over[name])))
    imports = ", ".join(
        f"{module} {figures['import']:.1f} s (process {figures['process']:.1f} s)"
        for module, figures in over["imports"].items()
    )
    print(f"imports in a fresh interpreter: {imports}")
    print(f"dbt parse, empty target dir: {over['dbt_parse_cold']:.1f} s")
    floor = over["floor"]
    print(f"floor on {TINY:,} lines: {floor['wall_seconds']:.1f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the scenarios, print the tables and save every figure as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000],
        help="order lines per full run (none: only the tiny-sample runs)",
    )  # fmt: skip
    parser.add_argument("--with-50m", action="store_true", help="also 50 M lines, run last")
    parser.add_argument("--no-overhead", action="store_true", help="skip the tiny-sample runs")
    parser.add_argument("--no-incremental", action="store_true", help="skip the one-month run")
    parser.add_argument(
        "--rerun", action="store_true", help="after the new month, `tradepulse run` once more"
    )
    parser.add_argument(
        "--work-dir", type=Path, default=Path("/tmp/tradepulse-bench-pipeline"),
        help="samples (kept between runs) and run dirs",
    )  # fmt: skip
    parser.add_argument("--child-refresh", metavar="PARTITION", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_refresh:
        return child_refresh(args.child_refresh)

    sizes = sorted(set(args.sizes + ([50_000_000] if args.with_50m else [])))
    work_dir = args.work_dir.resolve()
    results: dict = {"cores": os.cpu_count(), "load_at_start": load_average(), "sizes": []}
    log(f"work dir {work_dir}; load average {results['load_at_start']}")
    if not args.no_overhead:
        results["overhead"] = overhead(work_dir)
    for order_lines in sizes:
        results["sizes"].append(full_run(work_dir, order_lines))
        eligible = [size for size in sizes if size <= 10_000_000]
        if not args.no_incremental and eligible and order_lines == max(eligible):
            results["incremental"] = incremental(
                work_dir, order_lines, results["sizes"][-1], args.rerun
            )
    saved = work_dir / f"results-{time.strftime('%Y%m%dT%H%M%S')}.json"
    saved.write_text(json.dumps(results, indent=2))
    report(results)
    print(f"\n(all figures: {saved})")
    return 1 if any(result["differences"] for result in results["sizes"]) else 0


if __name__ == "__main__":
    sys.exit(main())
