"""Money amounts read once, normalised to yuan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.text.numerals import Amount, money_amount


@pytest.mark.parametrize(
    ("text", "yuan", "approximate"),
    [
        ("8976元", "8976", False),
        ("4.54万元", "45400", False),
        ("16.4万元", "164000", False),
        ("40余万元", "400000", True),
        ("1000万元", "10000000", False),
        ("1.2亿元", "120000000", False),
        ("三千元", "3000", False),
        ("十万元", "100000", False),
        ("罚款9万", "90000", False),  # money noun before, 万 without 元
    ],
)
def test_amounts_in_yuan(text: str, yuan: str, approximate: bool) -> None:
    amount = money_amount(text)
    assert amount is not None
    assert amount.yuan == Decimal(yuan)
    assert amount.approximate is approximate


def test_not_money() -> None:
    assert money_amount("9万人次") is None
    assert money_amount("培训2期") is None
    assert money_amount("230元/位") == Amount(yuan=Decimal(230), approximate=False)
