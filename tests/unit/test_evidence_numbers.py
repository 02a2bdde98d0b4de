"""Reading figures out of evidence excerpts in several languages and notations."""

from __future__ import annotations

import pytest

from ots_analysis.integrity import numbers_in_text, value_stated_in


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6.3e9, "trade reached $6.3 billion"),
        (6.3e9, "составил 6,3 млрд долларов"),
        (1_234_500_000, "1,234.5 million dollars"),
        (5_057_994_000, "5 milyard 57 milyon 994 min dollara çatıb"),
        (1_911_000_000, "bir milliard 911 million ABŞ dollaryna"),
        (2_101_000_000, "на 2 милиарда и 101 милиона долара"),
        (6e9, "altı milyard dollardan çox olub"),
        (88.0, "Russia accounted for 88% of imports"),
    ],
)
def test_value_is_found(value: float, text: str) -> None:
    assert value_stated_in(value, text)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6.5e9, "trade reached $6.3 billion"),
        (1.2036e9, "eksport – 1,2 mlrd. doll."),
        (42e9, "in 2023 it was 38.3 billion"),
    ],
)
def test_drifted_value_is_not_found(value: float, text: str) -> None:
    assert not value_stated_in(value, text)


def test_numbers_read_with_both_decimal_conventions() -> None:
    assert {6.3, 63.0} <= numbers_in_text("6,3")
    assert 1546.2 in numbers_in_text("1 546,2")
