"""`jaxmigrate verify`: run records' checks against real PyTorch and print what was measured."""

from __future__ import annotations

import sys

import mapping


def run(ids: list[str], examples: int) -> int:
    records = mapping.select(ids)
    if not records:
        print(f"jaxmigrate verify: no record matches {' '.join(ids)}", file=sys.stderr)
        return 2
    try:
        import hypothesis  # noqa: F401

        from mapping import check
    except ImportError as e:
        print(f"jaxmigrate verify: needs the [torch] extra ({e.name} is missing): "
              "pip install 'jaxmigrate[torch]'", file=sys.stderr)
        return 2

    failed = 0
    print(f"{'record':<52} {'check':<8} {'max abs':>10} {'max rel':>10} {'rtol':>8} {'atol':>8}  result")
    for record in records:
        worst: dict = {}
        error = ""
        try:
            if record.checks:
                measure(record, examples, worst)
            for d in record.differences:
                if check.check_difference(d) < d.min_diff:
                    raise check.Mismatch(f"documented difference not reproduced: {d.note}")
        except Exception as e:  # noqa: BLE001 - any failure of a record is reported, then the next runs
            error = str(e).splitlines()[0]
        for name, res in worst.items():
            print(f"{record.id:<52} {name:<8} {res.max_abs:>10.2e} {res.max_rel:>10.2e} "
                  f"{res.tol.rtol:>8.0e} {res.tol.atol:>8.0e}  pass")
        if error:
            failed += 1
            print(f"{record.id:<52} {'':<8} {'':>10} {'':>10} {'':>8} {'':>8}  FAIL: {error}")
        elif not record.checks:
            print(f"{record.id:<52} {'-':<8} {'':>10} {'':>10} {'':>8} {'':>8}  no numeric check ({record.status})")
    print(f"{len(records) - failed} passed, {failed} failed")
    return 1 if failed else 0


def measure(record, examples: int, worst: dict) -> None:
    """Run `examples` drawn cases; keep the largest error seen per check in `worst`."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from mapping import check
    from mapping.strategies import cases

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run_one(data):
        for res in check.check_record(record, data.draw(cases(record))):
            prev = worst.get(res.check)
            if prev is None or res.max_abs > prev.max_abs:
                worst[res.check] = res

    run_one()
