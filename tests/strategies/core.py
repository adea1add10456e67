"""Small building blocks shared by the strategies: exact decimals, weight splits, YAML/JSON text."""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import yaml
from hypothesis import strategies as st

LABELS = ("立项依据充分性", "预算执行率", "资金到位率", "质量达标率", "完成及时率", "满意度", "成本节约率",
          "制度执行有效性", "绩效目标合理性", "Output", "社会效益", "通关时间")
GRADE_LABELS = ("优", "良", "中", "差", "不合格", "优秀", "良好", "一般", "A", "B")


def dec(low: Decimal | int | str, high: Decimal | int | str, places: int = 2) -> st.SearchStrategy[Decimal]:
    """Decimals in ``low..high`` with at most ``places`` decimals, exactly (never through a float)."""
    scale = Decimal(10) ** places
    lo, hi = int((Decimal(low) * scale).to_integral_value()), int((Decimal(high) * scale).to_integral_value())
    return st.integers(lo, hi).map(lambda i: (Decimal(i) / scale).normalize() if i else Decimal(0)).map(tidy)


def tidy(value: Decimal) -> Decimal:
    """No exponent form (``1E+1`` → ``10``), so the YAML text is what an author writes."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@st.composite
def split(draw: st.DrawFn, total_units: int, parts: int, allow_zero: bool = False) -> list[int]:
    """``parts`` non-negative integers adding up to ``total_units`` (positive unless ``allow_zero``)."""
    if parts == 1:
        return [total_units]
    if not allow_zero:
        assert total_units >= parts
        cuts = sorted(draw(st.lists(st.integers(1, total_units - 1), min_size=parts - 1, max_size=parts - 1, unique=True)))
    else:
        cuts = sorted(draw(st.lists(st.integers(0, total_units), min_size=parts - 1, max_size=parts - 1)))
    edges = [0, *cuts, total_units]
    return [b - a for a, b in zip(edges, edges[1:])]


def share_text(share: Decimal, style: int) -> Any:
    """A share (0..1) as an author might write it: ``"80%"`` or ``0.8``."""
    if style == 0:
        return f"{tidy((share * 100).normalize())}%"
    return tidy(share.normalize()) if share else Decimal(0)


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    if not value.is_finite():
        text = ".nan" if value.is_nan() else "-.inf" if value < 0 else ".inf"
        return dumper.represent_scalar("tag:yaml.org,2002:float", text)
    text = decimal_text(value)
    tag = "int" if value == value.to_integral_value() and "." not in text and "E" not in text else "float"
    return dumper.represent_scalar(f"tag:yaml.org,2002:{tag}", text)


_Dumper.add_representer(Decimal, _decimal)


def decimal_text(value: Decimal) -> str:
    """Plain digits, except for huge or tiny exponents (1E+999999999 would be a billion zeros)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN, sNaN, Infinity
        return str(value)
    return format(value, "f") if abs(exponent) <= 200 else str(value)


def to_yaml(data: Any) -> str:
    """YAML text for data holding Decimals (written from their exact text)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)


def to_json(data: Any) -> str:
    """JSON text for data holding Decimals, each written from its exact text (never via a float)."""
    def encode(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"{_MARK}{decimal_text(value)}{_MARK}" if value.is_finite() else str(value)
        if isinstance(value, dict):
            return {k: encode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [encode(v) for v in value]
        return value
    text = json.dumps(encode(data), ensure_ascii=False, indent=1)
    return re.sub(f'"{_MARK}(-?[0-9.E+-]+){_MARK}"', r"\1", text)


_MARK = "@@decimal@@"
