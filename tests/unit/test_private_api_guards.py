"""Guards for bot/adapters/storage/sqlite_inline.py, the one module that uses aiosqlite's private names, and
for what it assumes of SQLAlchemy's aiosqlite dialect (pyproject.toml bounds both to the tested versions).

Each test fails with a message naming what changed: revisit that module before raising the bound.
"""

from __future__ import annotations

import inspect
import re
import threading
from pathlib import Path

import aiosqlite
from sqlalchemy import text
from sqlalchemy.dialects.sqlite import aiosqlite as sqlalchemy_aiosqlite

from bot.adapters.storage.engine import first_row, make_engine, make_sessions
from bot.adapters.storage.sqlite_inline import InlineConnection

THREAD_NAMES = re.compile(r"\._tx\b|\._thread\b")  # aiosqlite's queue to its worker thread, and the thread
INLINE_OVERRIDES = {"_execute", "_connect", "__await__", "stop"}


def _source(member: object) -> str:
    function = member.fset if isinstance(member, property) else getattr(member, "__func__", member)
    try:
        return inspect.getsource(function)  # type: ignore[arg-type]
    except TypeError:
        return ""  # a constant, not code


def _parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_aiosqlite_connection_keeps_the_private_methods_sqlite_inline_overrides() -> None:
    changed = "aiosqlite changed a private method that bot/adapters/storage/sqlite_inline.py overrides"
    assert _parameters(aiosqlite.Connection.__init__)[:3] == ["self", "connector", "iter_chunk_size"], (
        f"{changed}: Connection.__init__{inspect.signature(aiosqlite.Connection.__init__)}")
    assert _parameters(getattr(aiosqlite.Connection, "_execute", None) or (lambda: None)) == [
        "self", "fn", "args", "kwargs"], f"{changed}: Connection._execute(self, fn, *args, **kwargs)"
    assert _parameters(getattr(aiosqlite.Connection, "_connect", None) or (lambda: None)) == ["self"], (
        f"{changed}: Connection._connect(self)")
    assert inspect.iscoroutinefunction(aiosqlite.Connection._execute), f"{changed}: _execute is no coroutine"
    assert inspect.iscoroutinefunction(aiosqlite.Connection._connect), f"{changed}: _connect is no coroutine"


def test_aiosqlite_connection_keeps_the_private_attributes_sqlite_inline_sets() -> None:
    connection = aiosqlite.Connection(lambda: None, 64)  # type: ignore[arg-type,return-value]  # never started
    attributes = vars(connection)
    for name, value in (("_running", True), ("_connection", None)):
        assert attributes.get(name, "missing") == value, (
            f"aiosqlite.Connection() no longer sets {name} = {value!r}, which "
            f"bot/adapters/storage/sqlite_inline.py reads and sets (found {attributes.get(name, 'missing')!r})")
    assert callable(attributes.get("_connector")), (
        "aiosqlite.Connection() no longer keeps its connector in _connector, which "
        "bot/adapters/storage/sqlite_inline.py calls to open the SQLite connection")


def test_only_the_methods_sqlite_inline_overrides_hand_work_to_aiosqlites_thread() -> None:
    for cls in (aiosqlite.Connection, aiosqlite.Cursor):
        uses_thread = {name for name, member in vars(cls).items() if THREAD_NAMES.search(_source(member))}
        uses_thread.discard("__init__")  # creates the queue and the thread, which InlineConnection never starts
        if cls is aiosqlite.Connection:
            unhandled = uses_thread - INLINE_OVERRIDES
            not_overridden = {name for name in uses_thread if name not in vars(InlineConnection)}
        else:
            unhandled = not_overridden = uses_thread
        assert not unhandled | not_overridden, (
            f"aiosqlite.{cls.__name__} hands work to its worker thread in {sorted(unhandled | not_overridden)}, "
            "which bot/adapters/storage/sqlite_inline.py does not override: that call would wait forever")
    assert "self._conn._execute(" in _source(aiosqlite.Cursor._execute), (
        "aiosqlite.Cursor no longer runs its calls through Connection._execute, which "
        "bot/adapters/storage/sqlite_inline.py overrides to run them on the event loop's thread")


def test_sqlalchemy_queues_nothing_on_aiosqlites_thread_but_an_isolation_level() -> None:
    adapter = sqlalchemy_aiosqlite.AsyncAdapt_aiosqlite_connection
    uses_thread = {name for cls in adapter.__mro__ if cls.__module__.startswith("sqlalchemy")
                   for name, member in vars(cls).items() if THREAD_NAMES.search(_source(member))}
    assert uses_thread <= {"isolation_level"}, (
        f"SQLAlchemy's aiosqlite adapter now hands work to aiosqlite's thread in {sorted(uses_thread)}; "
        "bot/adapters/storage/sqlite_inline.py has no thread, so that call would wait forever")
    assert "async_creator_fn" in _source(sqlalchemy_aiosqlite.AsyncAdapt_aiosqlite_dbapi.connect), (
        "SQLAlchemy's aiosqlite dialect no longer takes async_creator, through which "
        "bot/adapters/storage/engine.py gives it the inline connection")


async def test_an_sqlite_file_engine_answers_on_the_event_loops_thread(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'guard.sqlite3'}")
    try:
        assert await first_row(make_sessions(engine), text("SELECT 1")) == (1,)
        async with engine.connect() as connection:
            raw = await connection.get_raw_connection()
            assert isinstance(raw.driver_connection, InlineConnection)
        workers = [thread.name for thread in threading.enumerate() if "_connection_worker_thread" in thread.name]
        assert not workers, f"an SQLite file engine started aiosqlite's worker thread: {workers}"
    finally:
        await engine.dispose()
