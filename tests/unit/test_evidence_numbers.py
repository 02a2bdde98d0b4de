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


def test_numbers_read_with_both_decimal_conventions_only_where_ambiguous() -> None:
    assert numbers_in_text("6,3") == {6.3}  # a thousands group has three digits
    assert numbers_in_text("2,863") == {2.863, 2863.0}
    assert numbers_in_text("1,234.5") == {1234.5}
    assert 1546.2 in numbers_in_text("1 546,2")


@pytest.mark.parametrize(
    ("value", "text", "mark"),
    [
        (1.647e12, "idxal isə 4,4% artaraq 1,647 milyard ABŞ dolları", ","),  # x 1,000
        (6.3e12, "trade reached $6.3 billion", "."),
        (6.3e6, "trade reached $6.3 billion", "."),
        (1.1181e13, "2022年,中土雙邊貿易額為111.81億美元", "."),
        (8.8e4, "Russia accounted for 88% of imports", "."),
        (3.1e12, "составил около 3,1 мрлд долларов", ","),
    ],
)
def test_a_figure_at_the_wrong_scale_is_not_found(value: float, text: str, mark: str) -> None:
    assert not value_stated_in(value, text, mark=mark)


@pytest.mark.parametrize(
    ("value", "text", "mark"),
    [
        (1.647e9, "idxal isə 4,4% artaraq 1,647 milyard ABŞ dolları", ","),
        (1.647e9, "imports of US$ 1,647 million", "."),
        (1.1181e10, "2022年,中土雙邊貿易額為111.81億美元", "."),
        (3.438e8, "sanken um 30,7 Prozent auf 343,8 Mio. USD", ","),
        (1.2e12, "toplam dış ticaretleri ise 1,2 trilyon dolar", ","),
        (2.863e9, "2 863 000 000 US dollars", "."),
    ],
)
def test_a_figure_with_its_scale_word_is_found(value: float, text: str, mark: str) -> None:
    assert value_stated_in(value, text, mark=mark)
