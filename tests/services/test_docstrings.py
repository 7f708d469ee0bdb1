"""Every public class and function of the services says its job in a docstring (STYLE.md:
every public class/function of models, services, exports; short)."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[2] / "app" / "services"


def test_every_public_service_class_and_function_has_a_docstring() -> None:
    missing = []
    for path in sorted(SERVICES.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef | ast.FunctionDef) or node.name[0] == "_":
                continue
            if ast.get_docstring(node) is None:
                missing.append(f"{path.relative_to(SERVICES)}:{node.lineno} {node.name}")
    assert missing == []
