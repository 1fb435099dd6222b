"""A finding before positions are known (`Site`), the catalogue it links to, and the message helpers
shared by the call, method, in-place and structure rules."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from mapping.record import Record
from migrate import analyze, rewrite
from migrate.analyze import TENSOR, UNKNOWN

# Attributes of jax.Array (jax 0.10): methods a JAX array answers too, so never a sign of torch left over.
JAX_ARRAY_ATTRS = frozenset((
    "all any argmax argmin argpartition argsort astype at byteswap choose clip compress conj conjugate copy "
    "cumprod cumsum device diagonal dot dtype flatten imag item max mean min nonzero prod ptp ravel real repeat "
    "reshape round searchsorted shape size sort squeeze std sum swapaxes take to_device trace transpose var "
    "view").split())


class Catalogue:
    """Records by torch name and alias."""

    def __init__(self, records):
        self.by_name: dict[str, list[Record]] = {}
        for r in records:
            for name in (r.torch, *r.aliases):
                self.by_name.setdefault(name, []).append(r)
        # tensor methods with a record that jax.Array lacks: seen in a rewrite's output, they are torch left over
        self.torch_only_methods = frozenset(
            n.rsplit(".", 1)[1] for n in self.by_name if n.startswith("torch.Tensor.")) - JAX_ARRAY_ATTRS

    def find(self, name: str, call: cst.Call | None = None) -> Record | None:
        """The record of `name` for this call (rewrite.choose), or its plain record without a call."""
        found = self.by_name.get(name)
        if not found:
            return None
        if call is not None:
            return rewrite.choose(found, call)[0]
        plain = [r for r in found if not r.variant]
        return plain[0] if plain else found[0]


@dataclass(eq=False)
class Site:
    """A finding before positions are known."""

    node: cst.CSTNode
    api: str
    status: str
    rule: str
    message: str
    record: Record | None = None
    confidence: str = "high"
    binding: rewrite.Binding | None = None
    receiver: cst.BaseExpression | None = None
    sketch: object = None  # str, or a function of text() giving the sketch
    applicable: bool = False
    rendered: str | None = None
    roots: set = field(default_factory=set)
    span: tuple = (0, 0)
    scope: analyze.Scope | None = None
    consumed: set = field(default_factory=set)  # applied rewrites nested inside this one's output
    needs: tuple = ()  # calls that must be rewritten too for this rewrite to be right (`y = x.clone()`; `y.add_(1)`)
    build: object = None  # a statement rewrite written by the codemod itself: a function of text() giving it



def message(record: Record | None, fallback: str) -> str:
    if record is None:
        return fallback
    if record.status in ("manual", "unsupported"):
        return record.reason or "; ".join(record.notes)
    if record.status == "caveat":  # every condition and measured difference: the user decides on them
        return " ".join(record.notes) or f"-> {record.jax}"
    return " ".join(record.notes[:1]) or f"-> {record.jax}"



def method_confidence(receiver, name: str, kind: str, record: Record | None) -> str | None:
    """How sure we are that `receiver.name(...)` is a tensor method; None: not reported."""
    if kind == TENSOR:
        return "high"
    if isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"):
        return None
    if kind != UNKNOWN:
        return None
    if name in analyze.AMBIGUOUS:
        return "low"
    if name in analyze.DISTINCTIVE or record is not None:
        return "medium"
    return None

