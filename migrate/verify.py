"""`jaxmigrate verify`: run records' proofs against real PyTorch and print what was measured.

The proof is the one CI runs (`mapping.check.prove`): each record's deterministic rich cases first, then its
hypothesis draws, seeded per record (the `ci` profile: the simplest draw, the same on every run;
`--examples N` draws N).
"""

from __future__ import annotations

import sys

import mapping


def run(ids: list[str], examples: int | None = None) -> int:
    records = mapping.select(ids)
    if not records:
        print(f"jaxmigrate verify: no record matches {' '.join(ids)}", file=sys.stderr)
        return 2
    try:
        from hypothesis import settings

        from mapping import check, strategies
    except ImportError as e:
        print(f"jaxmigrate verify: needs the [torch] extra ({e.name} is missing): "
              "pip install 'jaxmigrate[torch]'", file=sys.stderr)
        return 2
    strategies.register_profiles()
    profile = settings.get_profile("ci")  # CI's draws, seeded per record; more or fewer with --examples
    if examples is not None:
        profile = settings(profile, max_examples=examples)

    failed = 0
    print(f"{'record':<52} {'check':<8} {'max abs':>10} {'max rel':>10} {'rtol':>8} {'atol':>8}  result")
    for record in records:
        worst: dict = {}
        error = ""
        try:
            if record.checks:
                for results in check.prove(record, profile):
                    for res in results:
                        if res.check not in worst or res.max_abs > worst[res.check].max_abs:
                            worst[res.check] = res
            for d in record.differences:
                if check.check_difference(d) < d.min_diff:
                    raise check.Mismatch(f"documented difference not reproduced: {d.note}")
        except Exception as e:  # noqa: BLE001 - any failure of a record is reported, then the next runs
            error = str(e).splitlines()[0] if str(e) else type(e).__name__
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
