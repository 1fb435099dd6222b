"""`torch.<name>(x, ...)` for functions whose record is written for the method `x.<name>(...)`: the same JAX code,
the same proof (inputs, checks, tolerances, differences), with the tensor as the first argument."""

import dataclasses

from mapping.record import Record
from mapping.records import methods_more, tensor_linalg

_METHODS = {r.torch: r for r in (*methods_more.RECORDS, *tensor_linalg.RECORDS) if not r.variant}


def _function(name: str, receiver: str, sig: str) -> Record:
    """`torch.<name>` from the record of `torch.Tensor.<name>`: `x.<name>(...)` -> `torch.<name>(x, ...)`."""
    method = _METHODS[f"torch.Tensor.{name}"]
    example = (method.torch_example.replace(f"{receiver}.{name}()", f"torch.{name}({receiver})")
               .replace(f"{receiver}.{name}(", f"torch.{name}({receiver}, "))
    assert example != method.torch_example, name
    return dataclasses.replace(method, torch=f"torch.{name}", aliases=(), torch_example=example, sig=sig,
                               template=method.template.replace("{self}", "{input}"))


RECORDS = [
    _function("angle", "x", "input, *, out=None"),
    _function("renorm", "x", "input, p, dim, maxnorm, *, out=None"),
    _function("float_power", "x", "input, exponent, *, out=None"),
    _function("cholesky_solve", "b", "input, input2, upper=False, *, out=None"),
    _function("mode", "x", "input, dim=-1, keepdim=False, *, out=None"),
    _function("histogram", "x", "input, bins, *, range=None, weight=None, density=False, out=None"),
    _function("bincount", "x", "input, weights=None, minlength=0"),
    _function("diagonal_scatter", "x", "input, src, offset=0, dim1=0, dim2=1"),
    _function("index_reduce", "x", "input, dim, index, source, reduce, *, include_self=True, out=None"),
]
