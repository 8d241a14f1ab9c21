from pathlib import Path

from pipelines.publish.report import write_report
from pipelines.publish.snapshot import publish_snapshot


def test_report_holds_cards_charts_and_sentences_from_the_data(
    warehouse: Path, tmp_path: Path
) -> None:
    marts = tmp_path / "marts"
    publish_snapshot(warehouse, marts)

    html = write_report(marts).read_text(encoding="utf-8")

    # Two monthly charts, each with its growth chart; no region or category rows here.
    assert html.count("<svg") == 4
    assert "active buyers by buyer region: no data" in html
    assert '<svg viewBox="0 0 640 220" role="img" aria-label="Active buyers, per month">' in html
    assert 'aria-label="Listed Vietnamese suppliers, per month"' in html
    assert (
        "Số lượng người mua bình quân 6 tháng đầu năm 2023 tăng 55% so với cùng kỳ năm ngoái."
        in html
    )
    assert "Average monthly buyers in H1 2023 rose 55% year on year." in html
    assert "Average monthly Vietnamese suppliers in H1 2023 rose 24% year on year." in html
    assert "<script" not in html and "http" not in html.replace('lang="en"', "")
