"""How much CI's proof of each record can fail: `python -m mapping.proof_stats`.

Re-draws exactly the cases the catalogue test runs under the `ci` profile (each record's rich cases,
then its hypothesis draws) and measures, per record: tensors with two or more distinct values,
negatives drawn where the range has them, non-contiguous (transposed) views where legal, inputs that
really broadcast, every `Choice` value, and a non-zero torch gradient where the grad check runs.
Prints a summary and the records whose proof is vacuous on some count; exits 1 if a verified record
has one. Runs torch only (the reference side), so it takes about a minute.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

import mapping
from mapping.record import Choice, Record, T


@dataclass
class Stats:
    """What one record's CI cases exercise."""

    cases: int = 0
    first_trivial: bool = False  # the first case is empty, one element or constant in every tensor
    distinct: bool = False  # some case has a tensor input with >= 2 distinct values
    only_empty: bool = False  # every tensor input of every case is empty
    negatives: dict = field(default_factory=dict)  # input whose range has negatives -> one was drawn
    noncontiguous: dict = field(default_factory=dict)  # input that can be a transposed view -> was one
    broadcast: dict = field(default_factory=dict)  # bcast input -> its shape differed from its partner's
    choices: dict = field(default_factory=dict)  # Choice name -> values never drawn
    nonzero_grad: bool | None = None  # None: no grad check (or a declared piecewise-constant op)
    torch_error: str = ""  # torch's autograd raised on a case: the grad check cannot run there
    grad_unexplained: bool = False  # float input, float output, no grad check and no why_not["grad"]

    def vacuous(self) -> list[str]:
        """The counts on which this record's proof cannot fail."""
        why = []
        if not self.distinct:
            why.append("empty inputs only" if self.only_empty else "no tensor with two distinct values")
        why += [f"{n}: no negative drawn" for n, ok in self.negatives.items() if not ok]
        why += [f"{n}: never a non-contiguous view" for n, ok in self.noncontiguous.items() if not ok]
        why += [f"{n}: never broadcasts" for n, ok in self.broadcast.items() if not ok]
        why += [f"{n}: never drawn {missing!r}" for n, missing in self.choices.items() if missing]
        if self.grad_unexplained:
            why.append("float inputs and a float output, no grad check and no why_not['grad']")
        if self.torch_error:
            why.append(f"torch raised on a case: {self.torch_error}")
        elif self.nonzero_grad is False:
            why.append("torch's gradient is zero in every case")
        return why


def measure(record: Record, cases: list, grads: bool = True) -> Stats:
    """The statistics of one record over its cases (the torch side runs for the gradients)."""
    specs = [s for s in record.inputs if isinstance(s, T)]
    s = Stats(cases=len(cases))
    s.first_trivial = bool(cases) and all(_trivial(v) for v in _tensors(cases[0]))
    s.distinct = (not any(_can_hold_two(record, t) for t in specs)
                  or any(_distinct(v) >= 2 for c in cases for v in _tensors(c)))
    s.only_empty = bool(specs) and all(v.size == 0 for c in cases for v in _tensors(c))
    for spec in specs:
        if spec.dtype != "bool" and spec.low < 0 and _can_hold_two(record, spec):
            s.negatives[spec.name] = any(np.any(c.values[spec.name] < 0) for c in cases)
        if not spec.contiguous and _can_be_matrix(record, spec):
            s.noncontiguous[spec.name] = any(c.noncontiguous and _transposable(c.values[spec.name]) for c in cases)
        if spec.bcast:
            s.broadcast[spec.name] = any(c.values[spec.name].shape != c.values[spec.bcast].shape for c in cases)
    for choice in (x for x in record.inputs if isinstance(x, Choice)):
        seen = [c.values[choice.name] for c in cases]
        s.choices[choice.name] = [v for v in choice.values if not any(_same(v, w) for w in seen)]
    if grads and "grad" not in record.checks and "grad" not in getattr(record, "why_not", {}) and cases:
        s.grad_unexplained = _float_in_float_out(record, cases[0])
    if grads and "grad" in record.checks and not getattr(record, "zero_grad", ""):
        try:
            s.nonzero_grad = any(_torch_grad_nonzero(record, c) for c in cases)
        except Exception as e:  # noqa: BLE001 - reported: the test fails on it too
            s.nonzero_grad, s.torch_error = False, f"{type(e).__name__}: {str(e)[:80]}"
    return s


def ci_cases(record: Record) -> list:
    """The cases the catalogue test runs for a record under the loaded profile, in order."""
    from mapping import strategies

    drawn = list(strategies.rich_cases(record))
    strategies.for_each_draw(record, drawn.append)
    return drawn


def _tensors(case) -> list:
    return [v for v in case.values.values() if isinstance(v, np.ndarray)]


def _distinct(a: np.ndarray) -> int:
    return len(np.unique(a)) if a.size else 0


def _trivial(a: np.ndarray) -> bool:
    return _distinct(a) <= 1


def _transposable(a: np.ndarray) -> bool:
    return a.ndim >= 2 and a.shape[-1] > 1 and a.shape[-2] > 1


def _max_sizes(record: Record, spec: T) -> list[int] | None:
    """The largest size each axis of the input can take (None for shape "*": rank 0-3)."""
    if spec.shape == "*" or spec.bcast:
        return None
    if spec.shape == "":
        return []
    return [int(p) if p.strip().isdigit() else record.sizes[1] for p in spec.shape.split(",")]


def _can_hold_two(record: Record, spec: T) -> bool:
    sizes = _max_sizes(record, spec)
    return sizes is None or int(np.prod(sizes)) >= 2


def _can_be_matrix(record: Record, spec: T) -> bool:
    if spec.bcast:  # broadcasting and a transposed view at once needs a partner of rank 3
        partner = next(s for s in record.inputs if s.name == spec.bcast)
        sizes = _max_sizes(record, partner)
        return record.sizes[1] >= 2 and (sizes is None or len(sizes) >= 3)
    sizes = _max_sizes(record, spec)
    if sizes is None:
        return record.sizes[1] >= 2
    return len(sizes) >= 2 and sizes[-1] > 1 and sizes[-2] > 1


def _same(a, b) -> bool:
    return type(a) is type(b) and (a == b or (a != a and b != b))


def _torch_grad_nonzero(record: Record, case) -> bool:
    from mapping import check

    _, grads = check.run_torch(record, case, grad=True)
    return any(np.any(np.nan_to_num(g) != 0) for g in grads.values())


def _float_in_float_out(record: Record, case) -> bool:
    from mapping import check

    try:
        run, _ = check.run_torch(record, case, grad=False)
    except Exception:  # noqa: BLE001 - the test reports it
        return False
    floats_in = any(isinstance(v, np.ndarray) and v.dtype.kind == "f" for v in case.values.values()) or run.params
    return bool(floats_in) and any(c is not None for c in run.cotangents)


def report(records: list[Record], stats: dict[str, Stats]) -> tuple[str, list[Record]]:
    """A summary table and the verified records with a vacuous proof."""
    tensor = [r for r in records if r.id in stats and any(isinstance(s, T) for s in r.inputs)]
    verified = [r for r in tensor if r.status == "verified"]
    c = Counter()
    for r in tensor:
        s = stats[r.id]
        c["first trivial"] += s.first_trivial
        c["no two distinct values"] += not s.distinct
        c["empty only"] += s.only_empty
        c["negatives possible"] += bool(s.negatives)
        c["negatives never drawn"] += not all(s.negatives.values())
        c["non-contiguous possible"] += bool(s.noncontiguous)
        c["non-contiguous never"] += not all(s.noncontiguous.values())
        c["broadcast inputs"] += bool(s.broadcast)
        c["never broadcasts"] += not all(s.broadcast.values())
        c["Choice values never drawn"] += sum(len(m) for m in s.choices.values())
        c["grad checked"] += s.nonzero_grad is not None
        c["grad all zero"] += s.nonzero_grad is False
        c["float in and out, no grad check, no why_not"] += s.grad_unexplained
        c["cases"] += s.cases
    lines = [f"records with tensor inputs: {len(tensor)} ({len(verified)} verified); cases run: {c['cases']}"]
    lines += [f"  {k}: {v}" for k, v in c.items() if k != "cases"]
    bad = [r for r in tensor if stats[r.id].vacuous()]
    lines.append(f"records with a vacuous count: {len(bad)} "
                 f"({sum(r.status == 'verified' for r in bad)} verified)")
    lines += [f"  [{r.status}] {r.id}: {'; '.join(stats[r.id].vacuous())}" for r in bad]
    unexplained = [r.id for r in tensor if stats[r.id].grad_unexplained]
    lines.append(f"no grad check on a float output, no why_not['grad'] given ({len(unexplained)}): "
                 + ", ".join(unexplained))
    return "\n".join(lines), [r for r in bad if r.status == "verified"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mapping.proof_stats", description=__doc__.split("\n")[0])
    parser.add_argument("ids", nargs="*", help="record ids (all by default)")
    parser.add_argument("--draws", help="a pickle {record id: [Case, ...]} to measure instead of re-drawing")
    parser.add_argument("--no-grad", action="store_true", help="skip the torch gradients (faster)")
    args = parser.parse_args(argv)
    records = [r for r in mapping.load() if r.checks and (not args.ids or r.id in args.ids)]
    if args.draws:
        with open(args.draws, "rb") as f:
            drawn = pickle.load(f)
    else:
        from hypothesis import settings

        from mapping import strategies

        strategies.register_profiles()
        settings.load_profile("ci")
        drawn = {r.id: ci_cases(r) for r in records}
    stats = {r.id: measure(r, drawn[r.id], grads=not args.no_grad) for r in records if r.id in drawn}
    text, bad = report(records, stats)
    print(text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
