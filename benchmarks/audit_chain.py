"""The audit log's hash chain at scale: `python -m benchmarks.audit_chain`.

On a fresh SQLite file and, with --postgres-url, a fresh PostgreSQL schema (dropped at the end):

1. The verifier (services/evidence/verify.py, what `python -m commands.verify_audit` runs) over
   --rows audit rows (default 1,000,000), written already chained (the fill is not measured),
   --repeats times: seconds per walk, median. Target: under 60 s on each database. Then one row
   is changed by the owner (triggers off) and the walk must name it.
2. Sign-ups under --writers concurrent writers (default 10), each signing up --per-writer
   mentors as the form does (services/listings/signing.py: profile, signature with its receipt,
   confirmation mail), on two databases of the same kind: one with the chain as it is, one with
   sealing switched off (monkeypatched: rows stay unsealed, as before the chain); on PostgreSQL
   the first runs the sealer's thread as the app does (server/lifespan_work.py). The two take
   turns, A B A B, --rounds rounds each; per sign-up latency, median and p95, and the ratio of
   medians with/without. Target: the chain adds at most 20% (ratio <= 1.2).

Not a pytest test: a script, printing a table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

from benchmarks.directory import postgres_schema
from models import AuditEvent
from models.db import make_engine, make_session_factories, migrate
from services.evidence import chain
from services.evidence.sealer import SealerThread
from services.evidence.verify import verify
from services.listings.code_of_conduct import current_code
from services.listings.profile import ProfileInput
from services.listings.signing import SignatureInput, sign_code_of_conduct

VERIFY_TARGET_S = 60.0
SIGN_UP_RATIO_TARGET = 1.2
START = datetime(2025, 1, 1, tzinfo=UTC)
FILL_BATCH = 20_000


@contextmanager
def database(kind: str, postgres_url: str | None, folder: Path, name: str) -> Iterator[Engine]:
    if kind == "sqlite":
        engine = make_engine(f"sqlite:///{folder / f'{name}.sqlite3'}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    if not postgres_url:
        raise SystemExit("--postgres-url is needed for PostgreSQL")
    with postgres_schema(postgres_url) as url:
        engine = make_engine(url)
        migrate(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def fill_chained(engine: Engine, rows: int) -> float:
    """`rows` audit rows, chained as the sealer would chain them; seconds taken."""
    started = time.perf_counter()
    previous = chain.GENESIS
    with engine.begin() as connection:
        for first in range(1, rows + 1, FILL_BATCH):
            batch = []
            for row_id in range(first, min(first + FILL_BATCH, rows + 1)):
                row = {"id": row_id, "occurred_at": START + timedelta(seconds=row_id),
                       "actor_kind": "system", "moderator_id": None, "actor_label": None,
                       "action": "listing.freshness_paused", "mentor_id": None, "report_id": None,
                       "reason": "not confirmed", "detail": f"benchmark row {row_id}"}  # fmt: skip
                digest = chain.row_hash([row[c.name] for c in chain.CONTENT], position=row_id, previous=previous)
                batch.append({**row, "chain_seq": row_id, "prev_hash": previous, "row_hash": digest})
                previous = digest
            connection.execute(insert(AuditEvent), batch)
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SELECT setval('audit_events_id_seq', (SELECT max(id) FROM audit_events))")
            connection.exec_driver_sql("ANALYZE audit_events")
    return time.perf_counter() - started


def verifier(engine: Engine, rows: int, repeats: int) -> list[str]:
    fill = fill_chained(engine, rows)
    reader, _ = make_session_factories(engine)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        verdict = verify(reader)
        times.append(time.perf_counter() - started)
        if not verdict.intact or verdict.rows_checked != rows:
            raise SystemExit(f"the verifier got it wrong: {verdict.describe()}")
    target = rows // 2
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_events_no_update")
        connection.execute(text("UPDATE audit_events SET reason = 'edited' WHERE id = :id"), {"id": target})
    started = time.perf_counter()
    broken = verify(reader)
    found_in = time.perf_counter() - started
    if broken.intact or broken.row_id != target:
        raise SystemExit(f"the verifier missed the change at row {target}: {broken.describe()}")
    median = statistics.median(times)
    return [f"{engine.dialect.name:<10} verify {rows:>9,} rows: median {median:6.1f} s over {repeats} "
            f"(runs {', '.join(f'{t:.1f}' for t in times)}; fill {fill:.0f} s) "
            f"{'OK' if median < VERIFY_TARGET_S else 'OVER'} (target < {VERIFY_TARGET_S:.0f} s); "
            f"a row changed at {target:,}: named in {found_in:.1f} s"]  # fmt: skip


def profile(n: int) -> ProfileInput:
    return ProfileInput(full_name=f"Bench Mentor{n}", pronouns="", headline="Strategist",
                        company="", disciplines=("strategy",), seniority="senior", country="GB",
                        city="London", languages=("en",), offers=("portfolio_reviews",), bio="",
                        linkedin_url=f"https://www.linkedin.com/in/bench-{n}",
                        email=f"bench{n}@example.org", open_to_new_mentees=True, availability_note="")  # fmt: skip


_numbers = iter(range(1, 10_000_000))
_switch = threading.local()


def _sealing_off() -> bool:
    return bool(getattr(_switch, "off", False))


def sign_ups(engine: Engine, *, writers: int, per_writer: int, chained: bool) -> list[float]:
    """Each writer signs up `per_writer` mentors at once with the others; every latency (s)."""
    _, writer = make_session_factories(engine)
    code, barrier, latencies, lock = current_code(), threading.Barrier(writers), [], threading.Lock()

    def work() -> None:
        _switch.off = not chained
        barrier.wait()
        mine = []
        for _ in range(per_writer):
            n = next(_numbers)
            started = time.perf_counter()
            with writer.begin() as session:
                sign_code_of_conduct(session, profile=profile(n), code=code, now=datetime.now(UTC),
                                     signature=SignatureInput(agreed=True, typed_name=f"Bench Mentor{n}"),
                                     client_key=f"bench-{n}")  # fmt: skip
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def switch_sealing() -> None:
    """Sealing off for the threads that say so (the arm without the chain)."""
    seal, mark = chain.seal, chain.mark_pending

    def maybe_seal(session: Any) -> int:
        return 0 if _sealing_off() else seal(session)

    def maybe_mark(session: Any) -> None:
        if not _sealing_off():
            mark(session)

    chain.seal = maybe_seal  # type: ignore[assignment]
    chain.mark_pending = maybe_mark  # type: ignore[assignment]


def writers_race(kind: str, args: argparse.Namespace, folder: Path) -> list[str]:
    switch_sealing()
    with database(kind, args.postgres_url, folder, "with") as with_chain, \
            database(kind, args.postgres_url, folder, "without") as without:  # fmt: skip
        sealer = None
        if kind == "postgresql":  # as the app runs it (server/lifespan_work.py)
            sealer = SealerThread(make_session_factories(with_chain)[1].kw["bind"])
            sealer.start()
        sign_ups(with_chain, writers=2, per_writer=3, chained=True)  # warm both
        sign_ups(without, writers=2, per_writer=3, chained=False)
        on: list[float] = []
        off: list[float] = []
        for _ in range(args.rounds):
            off += sign_ups(without, writers=args.writers, per_writer=args.per_writer, chained=False)
            on += sign_ups(with_chain, writers=args.writers, per_writer=args.per_writer, chained=True)
        if sealer is not None:
            sealer.stop()
        reader, _ = make_session_factories(with_chain)
        verdict = verify(reader)
        if not verdict.intact:
            raise SystemExit(f"the chain broke under concurrent sign-ups: {verdict.describe()}")

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1]

    ratio = statistics.median(on) / statistics.median(off)
    return [
        f"{kind:<10} sign-ups, {args.writers} writers x {args.per_writer} x {args.rounds} rounds each arm:",
        f"           without the chain: median {statistics.median(off) * 1000:6.1f} ms, p95 {p95(off) * 1000:6.1f} ms",
        f"           with the chain:    median {statistics.median(on) * 1000:6.1f} ms, p95 {p95(on) * 1000:6.1f} ms"
        f"  (chain intact: {verdict.rows_checked:,} rows)",
        f"           ratio of medians {ratio:.2f}x, of p95 {p95(on) / p95(off):.2f}x "
        f"{'OK' if ratio <= SIGN_UP_RATIO_TARGET else 'OVER'} (target <= {SIGN_UP_RATIO_TARGET}x)",
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.audit_chain", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--postgres-url", help="also on PostgreSQL, in a schema of its own")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--per-writer", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-verifier", action="store_true")
    args = parser.parse_args(argv)
    kinds = ["sqlite"] + (["postgresql"] if args.postgres_url else [])
    print(f"# benchmarks.audit_chain, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; rows {args.rows:,}")
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            if not args.skip_verifier:
                with database(kind, args.postgres_url, Path(folder), "verify") as engine:
                    print("\n".join(verifier(engine, args.rows, args.repeats)), flush=True)
            print("\n".join(writers_race(kind, args, Path(folder))), flush=True)


if __name__ == "__main__":
    main()
