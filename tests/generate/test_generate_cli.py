"""`tradepulse generate` on the command line."""

import json
import re
from pathlib import Path

import pytest

from pipelines.cli import main


def _without_seconds(text: str) -> str:
    return re.sub(r"\d+\.\d s", "#.# s", text)


def test_generate_writes_a_small_sample_and_summarises_it(tmp_path: Path, capsys) -> None:
    out = tmp_path / "raw"
    assert main(["generate", "--order-lines", "10000", "--seed", "5", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert _without_seconds(captured.out) == (
        f"wrote {out} in #.# s (seed 5)\n"
        "  suppliers           186 rows    1 file\n"
        "  buyers              925 rows    1 file\n"
        "  orders           10,000 rows   46 files\n"
    )
    progress = _without_seconds(captured.err).splitlines()
    assert progress[0] == "generate: suppliers   0/1 file  #.# s"
    assert progress[-1] == "generate: orders     46/46 month files  #.# s"
    assert len(progress) == 9
    assert len(list((out / "orders").glob("*.parquet"))) == 46


def test_generate_defaults_to_the_configured_raw_dir(tradepulse_env, capsys) -> None:
    assert main(["generate", "--order-lines", "10000", "--end", "2021-12-31"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"wrote {tradepulse_env['raw_dir']} in ")
    assert out.splitlines()[-2:] == [
        "  note: the span does not cover 2022-01 .. 2023-06, so the headline growth",
        "        figures are not calibrated",
    ]
    assert sorted(p.name for p in tradepulse_env["raw_dir"].iterdir()) == [
        ".tradepulse-source.json",
        "buyers",
        "orders",
        "suppliers",
    ]
    note = json.loads((tradepulse_env["raw_dir"] / ".tradepulse-source.json").read_text())
    assert note == {
        "kind": "sample",
        "source": "TradePulse seeded sample (seed 42)",
        "seed": 42,
        "order_lines": 10000,
        "start": "2020-01-01",
        "end": "2021-12-31",
        "faults": 0.0,
    }


def test_generate_lists_the_faults_it_injected(tmp_path: Path, capsys) -> None:
    argv = ["generate", "--order-lines", "10000", "--faults", "0.01", "--out", str(tmp_path)]
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[4] == "  faults              111 rows broken on purpose:"
    assert lines[5] == "    supplier_duplicate                      1  duplicate_key"
    assert lines[-1] == "    order_duplicate_line                   12  duplicate_key"


def test_bad_arguments_exit_2_with_the_reason(tmp_path: Path, capsys) -> None:
    assert main(["generate", "--order-lines", "5", "--out", str(tmp_path / "raw")]) == 2
    assert capsys.readouterr().err == (
        "tradepulse generate: error: --order-lines must be between 10,000 and 50,000,000, not 5\n"
    )
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "--start", "2020-02-30"])
    assert exit_info.value.code == 2
    assert "argument --start: '2020-02-30' is not a date like 2023-10-31" in capsys.readouterr().err
