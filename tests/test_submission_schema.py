"""The JSON Schema a rubric emits for its submissions accepts the examples and refuses bad ones."""
from __future__ import annotations

import json

import jsonschema

from engine import load_rubric
from engine.document import load_file
from engine.submission_schema import submission_schema


def _validator():
    rubric = load_rubric("rubrics/qingdao/2020.yaml")
    schema = submission_schema(rubric)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _plain(data):
    return json.loads(json.dumps(data, default=lambda d: float(d) if d == d.to_integral_value() or True else str(d)))


def test_example_submission_satisfies_its_schema() -> None:
    data = _plain(load_file("examples/qingdao-2020.yaml").data)
    assert list(_validator().iter_errors(data)) == []


def test_schema_refuses_unknown_input_wrong_type_and_missing_value() -> None:
    data = _plain(load_file("examples/qingdao-2020.yaml").data)
    data["values"]["budgt"] = 1
    data["values"]["services_done"] = "9项"
    del data["values"]["spent"]
    messages = " ".join(e.message for e in _validator().iter_errors(data))
    assert "budgt" in messages and "spent" in messages and "9项" in messages
