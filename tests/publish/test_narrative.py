import pytest

from pipelines.publish.narrative import growth_sentence, period_words, shortlist_sentence


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("2023-H1", ("6 tháng đầu năm 2023", "H1 2023")),
        ("2023-H2", ("6 tháng cuối năm 2023", "H2 2023")),
        ("2023-Q2", ("quý 2 năm 2023", "Q2 2023")),
        ("2023-06", ("tháng 6/2023", "June 2023")),
        ("2023", ("năm 2023", "2023")),
    ],
)
def test_period_words(period: str, expected: tuple[str, str]) -> None:
    assert period_words(period) == expected


def test_rise_in_both_languages() -> None:
    sentence = growth_sentence(
        "Số lượng người mua bình quân", "Average monthly buyers", "2023-H1", 0.5503
    )
    assert sentence.vi == (
        "Số lượng người mua bình quân 6 tháng đầu năm 2023 tăng 55% so với cùng kỳ năm ngoái"
    )
    assert sentence.en == "Average monthly buyers in H1 2023 rose 55% year on year"


def test_fall_with_a_decimal_uses_a_decimal_comma_in_vietnamese() -> None:
    sentence = growth_sentence("Số đơn hàng", "Orders", "2023-Q2", -0.125)
    assert sentence.vi == "Số đơn hàng quý 2 năm 2023 giảm 12,5% so với cùng kỳ năm ngoái"
    assert sentence.en == "Orders in Q2 2023 fell 12.5% year on year"


def test_shortlist_sentence() -> None:
    sentence = shortlist_sentence(100, 14, "2023-09")
    assert sentence.en == (
        "100 Vietnamese suppliers were shortlisted for the national pavilion on 14 criteria, "
        "evaluated as of September 2023"
    )
    assert sentence.vi.startswith("100 nhà cung cấp Việt Nam được chọn vào gian hàng quốc gia")
