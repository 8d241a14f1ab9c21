"""Sentences in Vietnamese and English, in the register of a trade news item, from KPI rows."""

from __future__ import annotations

from dataclasses import dataclass

MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    """One statement in both languages."""

    vi: str
    en: str


def period_words(period: str) -> tuple[str, str]:
    """How the news names a period, in Vietnamese and English.

    >>> period_words("2023-H1")
    ('6 tháng đầu năm 2023', 'H1 2023')
    """
    year, _, part = period.partition("-")
    if not part:
        return f"năm {year}", year
    if part == "H1":
        return f"6 tháng đầu năm {year}", f"H1 {year}"
    if part == "H2":
        return f"6 tháng cuối năm {year}", f"H2 {year}"
    if part.startswith("Q"):
        return f"quý {part[1]} năm {year}", f"{part} {year}"
    month = int(part)
    return f"tháng {month}/{year}", f"{MONTHS_EN[month - 1]} {year}"


def _percent(growth: float) -> tuple[str, str]:
    value = abs(growth) * 100
    text = f"{value:.0f}" if round(value, 1) == round(value) else f"{value:.1f}"
    return text.replace(".", ",") + "%", text + "%"


def growth_sentence(subject_vi: str, subject_en: str, period: str, growth: float) -> Sentence:
    """'<subject> in <period> rose/fell N% year on year', in both languages.

    >>> growth_sentence("Số lượng người mua bình quân", "Average monthly buyers",
    ...                 "2023-H1", 0.55).en
    'Average monthly buyers in H1 2023 rose 55% year on year'
    """
    period_vi, period_en = period_words(period)
    percent_vi, percent_en = _percent(growth)
    if growth >= 0:
        verb_vi, verb_en = "tăng", "rose"
    else:
        verb_vi, verb_en = "giảm", "fell"
    return Sentence(
        vi=f"{subject_vi} {period_vi} {verb_vi} {percent_vi} so với cùng kỳ năm ngoái",
        en=f"{subject_en} in {period_en} {verb_en} {percent_en} year on year",
    )


def shortlist_sentence(count: int, criteria: int, month: str) -> Sentence:
    """The pavilion shortlist in one sentence."""
    period_vi, period_en = period_words(month)
    return Sentence(
        vi=(
            f"{count} nhà cung cấp Việt Nam được chọn vào gian hàng quốc gia "
            f"dựa trên {criteria} tiêu chí, đánh giá đến {period_vi}"
        ),
        en=(
            f"{count} Vietnamese suppliers were shortlisted for the national pavilion "
            f"on {criteria} criteria, evaluated as of {period_en}"
        ),
    )
