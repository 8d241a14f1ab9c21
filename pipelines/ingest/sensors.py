"""raw_files_sensor: new, changed or removed raw files request runs of what they feed.

The cursor holds every raw file's size, modification time, SHA-256 and (for orders) months. A
file whose size or time changed is hashed; only a new hash, a new file or a removed one counts as
a change, so the same state never fires twice. A change to suppliers or buyers reloads them and
every month of raw_orders in one run (order lines are checked against the loaded buyers and
suppliers); a change to orders files reloads only the months those files held before or hold now.
"""

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from pipelines.config import get_settings
from pipelines.ingest.assets import ORDERS_PARTITIONS
from pipelines.ingest.files import ENTITIES, file_sha256, list_source_files
from pipelines.ingest.partitions import MonthsCache, default_cache_path

CURSOR_VERSION = 1
RAW_ASSETS = {entity: dg.AssetKey(f"raw_{entity}") for entity in ENTITIES}


@dataclass(frozen=True)
class FileState:
    """What the sensor knows of one raw file."""

    size: int
    mtime_ns: int
    sha256: str
    months: tuple[str, ...] | None = None

    def to_json(self) -> list:
        """A compact JSON form for the cursor."""
        return [self.size, self.mtime_ns, self.sha256, self.months]

    @classmethod
    def from_json(cls, value: list) -> "FileState":
        """Read the form written by `to_json`."""
        size, mtime_ns, sha256, months = value
        return cls(size, mtime_ns, sha256, None if months is None else tuple(months))


def read_cursor(cursor: str | None) -> dict[str, FileState]:
    """The file states in a cursor; empty for no cursor or one of another version."""
    if not cursor:
        return {}
    stored = json.loads(cursor)
    if stored.get("version") != CURSOR_VERSION:
        return {}
    return {name: FileState.from_json(value) for name, value in stored["files"].items()}


def write_cursor(state: Mapping[str, FileState]) -> str:
    """The cursor for a state of the raw files."""
    files = {name: state[name].to_json() for name in sorted(state)}
    return json.dumps({"version": CURSOR_VERSION, "files": files}, separators=(",", ":"))


def scan_raw_files(
    raw_dir: Path, previous: Mapping[str, FileState], cache: MonthsCache
) -> dict[str, FileState]:
    """The current state of every raw file, hashing only those whose size or time changed."""
    state = {}
    for entity in ENTITIES:
        for source in list_source_files(raw_dir, entity):
            known = previous.get(source.name)
            if known is not None and (known.size, known.mtime_ns) == source.stat_key:
                state[source.name] = known
                continue
            sha256 = file_sha256(source.path)
            if known is not None and known.sha256 == sha256:
                months = known.months
            elif entity == "orders":
                found = cache.months(source)
                months = None if found.reason else found.months
            else:
                months = None
            state[source.name] = FileState(source.size, source.mtime_ns, sha256, months)
    cache.save()
    return state


def changed_files(previous: Mapping[str, FileState], current: Mapping[str, FileState]) -> list[str]:
    """Files that are new, have new content or are gone, by name."""
    return sorted(
        name
        for name in set(previous) | set(current)
        if name not in previous
        or name not in current
        or previous[name].sha256 != current[name].sha256
    )


def month_runs(months: Sequence[str], keys: Sequence[str]) -> list[tuple[str, str]]:
    """The months that are partitions, as (first, last) runs of consecutive partitions.

    >>> month_runs(["2023-01-01", "2023-02-01", "2023-04-01"],
    ...     ["2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01"])
    [('2023-01-01', '2023-02-01'), ('2023-04-01', '2023-04-01')]
    """
    position = {key: index for index, key in enumerate(keys)}
    indexes = sorted({position[month] for month in months if month in position})
    runs: list[tuple[str, str]] = []
    for index in indexes:
        if runs and position[runs[-1][1]] == index - 1:
            runs[-1] = (runs[-1][0], keys[index])
        else:
            runs.append((keys[index], keys[index]))
    return runs


def _orders_request(first: str, last: str, digest: str) -> dg.RunRequest:
    selection = [RAW_ASSETS["orders"]]
    if first == last:
        return dg.RunRequest(
            run_key=f"raw_orders:{first}:{digest}", asset_selection=selection, partition_key=first
        )
    return dg.RunRequest(
        run_key=f"raw_orders:{first}..{last}:{digest}",
        asset_selection=selection,
        tags={ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last},
    )


def plan_runs(
    previous: Mapping[str, FileState],
    current: Mapping[str, FileState],
    partition_keys: Sequence[str],
) -> tuple[list[dg.RunRequest], list[str]]:
    """The runs that bring the warehouse to the current files, and notes for the log."""
    changed = changed_files(previous, current)
    if not changed or not partition_keys:
        return [], []
    digest = hashlib.sha256(write_cursor(current).encode()).hexdigest()[:16]
    entities = {name.split("/", 1)[0] for name in changed}
    reference = [entity for entity in ("suppliers", "buyers") if entity in entities]
    if reference:
        selection = [RAW_ASSETS[entity] for entity in reference] + [RAW_ASSETS["orders"]]
        request = dg.RunRequest(
            run_key=f"{'+'.join(reference)}+raw_orders:all:{digest}",
            asset_selection=selection,
            tags={
                ASSET_PARTITION_RANGE_START_TAG: partition_keys[0],
                ASSET_PARTITION_RANGE_END_TAG: partition_keys[-1],
            },
        )
        return [request], []

    months: set[str] = set()
    notes = []
    for name in changed:
        before, after = previous.get(name), current.get(name)
        for state in (before, after):
            if state is not None and state.months:
                months.update(state.months)
        if after is not None and after.months is None:
            # Unreadable now: any run of raw_orders records it in raw.rejected_files.
            months.add(partition_keys[-1])
    early = sorted(month for month in months if month < partition_keys[0])
    if early:
        notes.append(
            f"orders files have rows in {early[0][:7]} .. {early[-1][:7]}, before the first "
            f"partition {partition_keys[0][:7]}: reload the definitions to extend the partitions"
        )
    requests = [
        _orders_request(first, last, digest)
        for first, last in month_runs(sorted(months), partition_keys)
    ]
    return requests, notes


def build_raw_files_sensor(
    orders_partitions: dg.PartitionsDefinition,
    minimum_interval_seconds: int = 30,
) -> dg.SensorDefinition:
    """The sensor over TRADEPULSE_RAW_DIR that targets the raw assets."""

    @dg.sensor(
        name="raw_files_sensor",
        target=list(RAW_ASSETS.values()),
        minimum_interval_seconds=minimum_interval_seconds,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Requests runs of the raw assets for new, changed or removed raw files.",
    )
    def raw_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        """Compare the raw files with the cursor and request the runs that catch up."""
        previous = read_cursor(context.cursor)
        current = scan_raw_files(
            get_settings().raw_dir, previous, MonthsCache(default_cache_path())
        )
        requests, notes = plan_runs(previous, current, orders_partitions.get_partition_keys())
        for note in notes:
            context.log.warning(note)
        cursor = write_cursor(current)
        if not requests:
            changed = len(changed_files(previous, current))
            reason = (
                "no raw file is new, changed or removed"
                if not changed
                else (f"{changed} changed file(s) feed no partition")
            )
            return dg.SensorResult(skip_reason=reason, cursor=cursor)
        return dg.SensorResult(run_requests=requests, cursor=cursor)

    return raw_files_sensor


raw_files_sensor = build_raw_files_sensor(ORDERS_PARTITIONS)
