"""engine.records.maker: the hot path's constructor of frozen dataclasses gives the same instances."""
from __future__ import annotations

import dataclasses
import pickle
from decimal import Decimal

import pytest

from engine.records import maker
from engine.result import Result
from engine.submission import Submission

FIELDS = ("qingdao", "2020", "ab" * 32, "某项目", Decimal("96.65"), Decimal(100), "优", (), 2, None)


def test_a_made_result_is_the_result_its_constructor_makes() -> None:
    made, constructed = maker(Result)(*FIELDS), Result(*FIELDS)
    assert made == constructed and hash(made) == hash(constructed) and repr(made) == repr(constructed)
    assert pickle.loads(pickle.dumps(made)) == constructed
    assert dataclasses.replace(made, grade="良").grade == "良"
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.total = Decimal(0)  # type: ignore[misc]


def test_the_maker_takes_every_field() -> None:
    with pytest.raises(TypeError, match="Submission takes 7 fields, got 2"):
        maker(Submission)("某项目", {})
