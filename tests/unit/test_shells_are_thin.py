"""The Telegram shells stay thin: each handler parses an update, calls the engine and is done (≤ 15
lines), so that no rule, query or text can hide in one shell and be missing from the other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELL_HANDLERS = [ROOT / "bot" / "telegram_aiogram" / "handlers.py", ROOT / "bot" / "telegram_ptb" / "handlers.py"]
MAX_HANDLER_LINES = 15


@pytest.mark.parametrize("module", SHELL_HANDLERS, ids=lambda path: path.parent.name)
def test_every_handler_of_a_shell_is_at_most_15_lines(module: Path) -> None:
    tree = ast.parse(module.read_text())
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)]
    assert functions
    too_long = {f.name: f.end_lineno - f.lineno + 1 for f in functions
                if f.end_lineno - f.lineno + 1 > MAX_HANDLER_LINES}
    assert not too_long, f"handlers over {MAX_HANDLER_LINES} lines in {module.name}: {too_long}"


@pytest.mark.parametrize("module", SHELL_HANDLERS, ids=lambda path: path.parent.name)
def test_a_shell_holds_no_text_and_no_query(module: Path) -> None:
    source = module.read_text()
    for sign_of_a_rule in ("gettext", "translator", "storage", "select(", "sessions"):
        assert sign_of_a_rule not in source, f"{module}: {sign_of_a_rule!r} belongs in bot/services"
