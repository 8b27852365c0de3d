"""Which resources a stack update touches. AWS re-evaluates every resource whose resolved properties change;
moto (cloudformation/parsing.py, build_resource_diff) only notices a changed parameter where a resource names it
with `Ref`, so a parameter used only inside `Fn::Sub` (e.g. `!Sub 'arn:aws:iam::${PlatformAccountId}:root'`) was
never updated. This adds the parameters a `Fn::Sub` string names to the references moto looks for."""

from __future__ import annotations

import re
from typing import Any

from moto.cloudformation import parsing

_SUB_VARIABLE = re.compile(r"\$\{(?!!)([^}]+)\}")


def _sub_variables(template: Any) -> list[str]:
    found: list[str] = []
    if isinstance(template, dict):
        for key, value in template.items():
            if key == "Fn::Sub":
                text = value[0] if isinstance(value, list) else value
                if isinstance(text, str):
                    found.extend(m.split(".")[0] for m in _SUB_VARIABLE.findall(text))
                if isinstance(value, list) and len(value) > 1:
                    found.extend(_sub_variables(value[1]))
            else:
                found.extend(_sub_variables(value))
    elif isinstance(template, list):
        for item in template:
            found.extend(_sub_variables(item))
    return found


def install() -> None:
    original = parsing.get_references_from_template

    def references_with_sub(template: Any) -> list[str]:
        return original(template) + _sub_variables(template)

    parsing.get_references_from_template = references_with_sub
