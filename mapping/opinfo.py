"""PyTorch's own OpInfo test inputs run through the catalogue's rewrites: a second, independent proof.

For every catalogue API that torch's OpInfo database (`op_db`) covers, each sample (float32, and
int64 / bool where the op takes them) is written as a call with its literal arguments
(`torch.sum(t0, dim=1, keepdim=True)`), rewritten exactly as `jaxmigrate suggest --fix
--unsafe-fixes` would, then the JAX text is executed and compared with torch: forward, and the
gradient (`jax.vjp` vs torch autograd) where the chosen record lists `grad`. A call the codemod
refuses (`manual`) is counted apart: refusing is allowed, a wrong value is not.

    python -m mapping.opinfo [--cap N] [--start N] [--stop N] [API ...]

Imports torch and jax: never on the `suggest` path.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import jax
import numpy as np
import torch

import mapping
from mapping import check
from mapping.record import Record
from migrate import rewrite
from migrate.findings import Catalogue, Options, examine

DTYPES = (torch.float32, torch.int64, torch.bool)
IMPORTS = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
# Names a rewrite may use from the caller's scope, bound as a user would; `key` / `rngs` mean a random
# or stateful op, which cannot match torch value for value (their records prove statistics instead).
HELPERS = {"conv_transpose_padding": "from mapping.convert import conv_transpose_padding"}
RANDOM_NAMES = frozenset({"key", "rngs"})
# Ops whose values are unspecified (uninitialised memory): only shapes and dtypes are compared.
UNDEFINED_VALUES = frozenset({"empty", "empty_like", "new_empty", "empty_strided", "empty_permuted"})
# Decompositions whose factors are defined only up to sign: both sides go through the lines after the call
# in the record's examples (singular or eigen values, products such as u_k v_k^T), as the record's proof does.
SIGN_FREE = frozenset({"torch.linalg.svd", "torch.linalg.qr", "torch.linalg.eigh", "torch.Tensor.svd",
                       "torch.Tensor.qr"})


class Unwritable(Exception):
    """A sample argument that has no source-code literal (a callable, a complex number, a device)."""


@dataclass
class Outcome:
    """What one OpInfo sample gave: `ok`, `refused` (the codemod gave no rewrite), `torch_rejects`,
    `unwritable`, `random`, or a finding: `mismatch` / `jax_error`."""

    api: str
    opinfo: str
    dtype: str
    index: int
    kind: str
    call: str = ""
    record: str = ""
    jax: str = ""
    detail: str = ""

    @property
    def finding(self) -> bool:
        return self.kind in ("mismatch", "jax_error")

    def line(self) -> str:
        return f"{self.kind}: {self.record or self.api} <- OpInfo {self.opinfo} {self.dtype} #{self.index}\n" \
               f"    torch: {self.call}\n    jax:   {self.jax}\n    {self.detail}"


@dataclass
class Sweep:
    """All outcomes of one sweep, with the counts the report gives."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> Counter:
        return Counter(o.kind for o in self.outcomes)

    def records(self) -> set[str]:
        """Records the codemod chose for at least one sample that then ran against torch."""
        return {o.record for o in self.outcomes if o.kind in ("ok", "mismatch", "jax_error")}

    def findings(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.finding]

    def unresolved(self) -> list[Outcome]:
        """Findings no `KNOWN` entry explains."""
        return [o for o in self.findings() if resolution(o) is None]


def resolution(o: Outcome) -> Known | None:
    """The KNOWN entry that explains this finding, if any (for a JAX error, a `loud` entry first)."""
    found = [k for k in KNOWN if k.matches(o)]
    return next((k for k in found if k.resolution.startswith("loud")), found[0]) if found else None


@dataclass(frozen=True)
class Known:
    """A finding that is understood: where it shows (record, OpInfo, dtypes) and how it is resolved.

    `resolution` starts with its kind: `caveat` (the record says so, with a Difference), `tolerance`
    (measured, in the record) or `loud` (JAX raises on an input torch accepts: an error, never a wrong
    value). A wrong rewrite is never listed here: it is fixed.
    """

    record: str
    opinfo: str
    dtypes: tuple
    resolution: str

    def matches(self, o: Outcome) -> bool:
        """Same record, OpInfo and dtype; a `loud` resolution explains errors only, never a wrong value."""
        loud = self.resolution.startswith("loud")
        return (o.record == self.record and o.opinfo == self.opinfo and o.dtype in self.dtypes
                and (o.kind == "jax_error" or not loud))


FLOAT, INTS, ALL_DTYPES = ("float32",), ("int64", "bool"), ("float32", "int64", "bool")


# Causes shared by several findings.
SCALAR_DIM = ("loud: a 0-d tensor with dim=0 or -1: torch treats it as 1-d, JAX raises (axis out of bounds); "
              "reshape it to (1,) first")
FLOAT_ONLY = "loud: an int or bool tensor: torch computes in float, the JAX function takes floats only (TypeError)"
BOOL_ADD = "loud: a bool tensor: JAX's scatter-add / sign refuse bool, torch accepts it"
TIES = ("caveat: equal values (int / bool samples): torch's indices among ties differ from JAX's stable order "
        "(Difference on the record)")
INT_TO_FLOAT = ("caveat: an int64 input: JAX returns float32 where torch keeps int64 (same numbers up to 2**24; "
                "Difference on the record)")

# Every finding of the last full sweep, with its resolution (mapping/OPINFO.md lists them for readers).
KNOWN: tuple[Known, ...] = (
    Known("torch.logcumsumexp", "logcumsumexp", FLOAT, "loud: a 0-d tensor: the rewrite's dim % ndim divides by 0"),
    Known("torch.aminmax", "aminmax", ALL_DTYPES, SCALAR_DIM),
    Known("torch.nanquantile", "nanquantile", FLOAT, SCALAR_DIM),
    Known("torch.nanmedian", "nanmedian", INTS, INT_TO_FLOAT),
    Known("torch.histc", "histc", FLOAT, "loud: an empty tensor with min = max = 0: jnp.histogram(range=None) takes "
          "the data's min and raises (zero-size array), torch returns zeros"),
    Known("torch.digamma", "digamma", ALL_DTYPES, "caveat: digamma(0) is -inf in torch, nan in JAX; the gradient "
          "below about -5 is wrong in JAX (Differences on the record)"),
    Known("torch.linalg.eigh", "linalg.eigh", FLOAT, "caveat: a non-symmetric input: JAX averages A and A^T, torch "
          "reads one triangle (Difference on the record)"),
    Known("torch.linalg.eigvalsh", "linalg.eigvalsh", FLOAT, "caveat: a non-symmetric input (Difference on the "
          "record)"),
    Known("torch.linalg.norm", "linalg.norm[subgradients_at_zero]", FLOAT, "caveat: the gradient at a zero vector: "
          "torch 0, JAX nan (Difference on the record)"),
    Known("torch.nn.functional.interpolate", "nn.functional.interpolate[nearest]", FLOAT, "caveat: mode='nearest' "
          "downsampling picks other pixels (Difference on the record)"),
    Known("torch.chunk", "chunk", ALL_DTYPES, "caveat: a size that chunks does not divide: jnp.split raises "
          "(Difference on the record)"),
    Known("torch.Tensor.chunk", "chunk", ALL_DTYPES, "caveat: a size that chunks does not divide: jnp.split raises "
          "(Difference on the record)"),
    Known("torch.linalg.pinv", "linalg.pinv[hermitian]", FLOAT, "caveat: hermitian=True on a non-Hermitian "
          "input: torch reads its lower triangle, JAX the whole matrix (Difference on the record)"),
    Known("torch.div[trunc]", "div[trunc_rounding]", INTS, INT_TO_FLOAT),
    Known("torch.median", "median", INTS, INT_TO_FLOAT),
    Known("torch.Tensor.median", "median", INTS, INT_TO_FLOAT),
    Known("torch.nn.functional.hardtanh", "nn.functional.hardtanh", INTS, INT_TO_FLOAT),
    Known("torch.nn.functional.relu6", "nn.functional.relu6", INTS, INT_TO_FLOAT),
    Known("torch.kthvalue", "kthvalue", INTS, TIES),
    Known("torch.topk", "topk", INTS, TIES),
    Known("torch.Tensor.topk", "topk", INTS, TIES),
    Known("torch.sort", "sort", INTS, TIES),
    Known("torch.Tensor.sort", "sort", INTS, TIES),
    Known("torch.argsort", "argsort", INTS, TIES),
    Known("torch.Tensor.argsort", "argsort", INTS, TIES),
    Known("torch.special.zeta", "special.zeta", INTS, "caveat: outside x > 1, q > 0 both give a non-finite value, "
          "not always the same one (inf vs nan; Difference on the record)"),
    Known("torch.meshgrid", "meshgrid[variadic_tensors]", ALL_DTYPES, "loud: 0-d tensors: torch treats them as "
          "1-d, jnp.meshgrid(*...) raises"),
    Known("torch.meshgrid", "meshgrid[list_of_tensors]", ALL_DTYPES, "loud: 0-d tensors: torch treats them as "
          "1-d, jnp.meshgrid(*...) raises"),
    Known("torch.nn.functional.cross_entropy", "nn.functional.cross_entropy", FLOAT, "loud: class-probability "
          "(float) targets: the rewrite is for class indices and optax raises on float labels"),
    Known("torch.nn.functional.cross_entropy[weight]", "nn.functional.cross_entropy", FLOAT, "loud: "
          "class-probability (float) targets: the rewrite is for class indices and optax raises on float labels"),
    Known("torch.nn.functional.adaptive_avg_pool3d", "nn.functional.adaptive_avg_pool3d", FLOAT, "loud: None in "
          "output_size (keep that axis): the rewrite's range(None) raises"),
    Known("torch.nn.functional.multi_margin_loss", "nn.functional.multi_margin_loss", FLOAT, "loud: a 1-D input "
          "with a 0-d target (one unbatched sample): the rewrite indexes the batch axis (IndexError)"),
    Known("torch.nn.functional.multilabel_margin_loss", "nn.functional.multilabel_margin_loss", FLOAT, "loud: a "
          "0-d input and target: the rewrite reduces over axis -1, which a 0-d array lacks (ValueError)"),
    Known("torch.nn.functional.upsample_nearest", "nn.functional.upsample_nearest", FLOAT, "caveat: 'nearest' at "
          "a non-integer scale picks other pixels (the Difference of torch.nn.functional.interpolate, on the record)"),
    Known("torch.nn.functional.avg_pool3d", "nn.functional.avg_pool3d", INTS, "caveat: an int tensor: torch keeps "
          "the dtype and rounds each average down, the rewrite returns the float32 average (Difference on the "
          "record)"),
    Known("torch.nn.functional.local_response_norm", "nn.functional.local_response_norm", INTS, "caveat: an int "
          "tensor: torch averages the squares in integer arithmetic, rounding down (Difference on the record)"),
    Known("torch.nn.functional.group_norm[weight]", "nn.functional.group_norm", FLOAT, "loud: an empty batch "
          "(N = 0): the rewrite's reshape(0, groups, -1) cannot infer -1 (ZeroDivisionError)"),
    *(Known(r, f"nn.functional.pad[{op}]", ALL_DTYPES, "loud: negative padding (cropping): jnp.pad raises")
      for r, op in (("torch.nn.functional.pad[value]", "constant"), ("torch.nn.functional.pad[mode]", "reflect"),
                    ("torch.nn.functional.pad[mode]", "replicate"), ("torch.nn.functional.pad[mode]", "circular"))),
    Known("torch.nn.functional.avg_pool1d", "nn.functional.avg_pool1d", ALL_DTYPES, "loud: kernel_size as a "
          "tuple: the rewrite's window arithmetic raises (ValueError)"),
    *(Known(r, "logdet", FLOAT, "loud: 0 x 0 matrices: torch gives 0, jnp.linalg.det raises IndexError")
      for r in ("torch.logdet", "torch.Tensor.logdet")),
    Known("torch.Tensor.index_copy", "index_copy", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim "
          "divides by 0"),
    Known("torch.Tensor.index_add", "index_add", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim "
          "divides by 0"),
    Known("torch.nn.functional.adaptive_avg_pool1d", "nn.functional.adaptive_avg_pool1d", ALL_DTYPES, "loud: "
          "output_size as a tuple: the rewrite's reshape divides by it (TypeError)"),
    Known("torch.nn.functional.pad[mode]", "nn.functional.pad[replicate_negative]", ALL_DTYPES, "loud: negative "
          "padding (cropping) in replicate mode: jnp.pad raises"),
    Known("torch.norm[p]", "norm[nuc]", FLOAT, "loud: p='nuc' reaches jnp.linalg.vector_norm, which raises"),
    Known("torch.norm", "norm[fro]", FLOAT, "loud: p='fro' reaches jnp.linalg.vector_norm, which raises"),
    Known("torch.nn.functional.one_hot", "nn.functional.one_hot", INTS, "loud: num_classes=-1 (from the data) "
          "cannot be traced; jax.nn.one_hot raises"),
    Known("torch.linalg.svd", "linalg.svd", FLOAT, "loud: the gradient through full_matrices=True of a non-square "
          "matrix: JAX has no JVP for it (NotImplementedError; the record says so); the forward agrees"),
    Known("torch.nn.functional.grid_sample", "nn.functional.grid_sample", FLOAT, "loud: a 5-D input (volumetric "
          "sampling): the rewrite is for 4-D input, map_coordinates raises on 2 coordinates for a 3-D channel"),
    Known("torch.linalg.det", "linalg.det", FLOAT, "loud: 0 x 0 matrices: torch gives 1, JAX raises IndexError"),
    Known("torch.index_fill", "index_fill", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim divides by 0"),
    Known("torch.index_copy", "index_copy", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim divides by 0"),
    Known("torch.index_add", "index_add", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim divides by 0"),
    Known("torch.linspace", "linspace", INTS, "caveat: an int dtype: torch truncates each point toward zero, "
          "JAX floors it (Difference on the record)"),
    *(Known("torch.linspace", op, FLOAT, "caveat: float32 near a zero crossing: JAX computes start + i * step, torch "
            "the second half back from end (up to an ulp of |start| apart; Difference on the record)")
      for op in ("linspace", "linspace[tensor_overload]")),
    *(Known("torch.logspace", op, INTS, "caveat: an int dtype: torch truncates the exponents first (Difference on "
            "the record)") for op in ("logspace", "logspace[tensor_overload]")),
    Known("torch.arange", "arange", INTS, "caveat: an int dtype with a float end: torch casts start, end and step to "
          "integers first, JAX counts from the floats (Difference on the record)"),
    *(Known(r, "cov", ALL_DTYPES, "caveat: negative degrees of freedom: torch clamps them to 0 (inf), jnp.cov "
            "divides by the negative count (Difference on the record)") for r in ("torch.cov", "torch.Tensor.cov")),
    Known("torch.Tensor.nanmedian", "nanmedian", INTS, INT_TO_FLOAT),
    Known("torch.Tensor.kthvalue", "kthvalue", INTS, TIES),
    *(Known(api, "cholesky_solve", FLOAT, "caveat: the gradient on the factor's unread triangle: torch non-zero, "
            "JAX 0 (Difference on the record)") for api in ("torch.Tensor.cholesky_solve", "torch.cholesky_solve")),
    Known("torch.Tensor.unsafe_chunk", "unsafe_chunk", ALL_DTYPES, "caveat: a size that chunks does not divide: "
          "jnp.split raises (Difference on the record)"),
    Known("torch.Tensor.nonzero_static", "nonzero_static", ALL_DTYPES, "caveat: an input with no elements: torch "
          "pads every row with fill_value, jnp.argwhere with 0 (Difference on the record)"),
    *(Known(api, f"index_reduce[{r}]", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim divides by 0")
      for r in ("amax", "amin") for api in ("torch.Tensor.index_reduce", "torch.index_reduce")),
    *(Known(api, "histogram", FLOAT, "loud: an empty input with no range: jnp.histogram takes the range from the "
            "data's min and max and raises (zero-size array), torch returns zeros")
      for api in ("torch.Tensor.histogram", "torch.histogram")),
    *(Known(r, "i0", FLOAT, "caveat: the gradient at 0: torch 0, JAX 1 (Difference on the record)")
      for r in ("torch.special.i0", "torch.Tensor.i0")),
    Known("torch.ldexp", "ldexp", FLOAT, "loud: a float exponent: torch multiplies by 2**other, jnp.ldexp takes "
          "integer exponents only (ValueError)"),
    Known("torch.complex", "complex", FLOAT, "loud: real and imaginary parts of different ranks: torch broadcasts, "
          "lax.complex raises"),
    Known("torch.Tensor.expand", "expand", ALL_DTYPES, "loud: -1 (keep this size) in the shape: jnp.broadcast_to "
          "raises"),
    *(Known(r, "cumsum", ALL_DTYPES, SCALAR_DIM) for r in ("torch.cumsum", "torch.Tensor.cumsum")),
    Known("torch.Tensor.digamma", "digamma", ALL_DTYPES, "caveat: digamma(0) is -inf in torch, nan in JAX; the "
          "gradient below about -5 is wrong in JAX (Differences on the record)"),
    *(Known(r, "heaviside", INTS, INT_TO_FLOAT) for r in ("torch.Tensor.heaviside", "torch.heaviside")),
    Known("torch.nn.functional.avg_pool2d", "nn.functional.avg_pool2d", INTS, "caveat: an int tensor: torch keeps "
          "the dtype and rounds each average down, the rewrite gives the float32 average (Difference on the record)"),
    *(Known(r, "erfinv", FLOAT, "caveat: JAX's erfinv is the less accurate near |x| = 1 (|x| = 0.99967: forward "
            "1.1e-6, gradient 1.4e-5 relative from float64; torch 3.6e-8 and 2.9e-7; Differences on the record)")
      for r in ("torch.erfinv", "torch.Tensor.erfinv")),
    *(Known(r, "tensor_split", FLOAT, "loud: indices given as a tensor: jnp.array_split raises")
      for r in ("torch.tensor_split", "torch.Tensor.tensor_split")),
    Known("torch.Tensor.scatter", "scatter", ALL_DTYPES, "loud: a src larger than index, or an empty index: torch "
          "reads the part it needs, jnp.put_along_axis raises on the shapes"),
    Known("torch.Tensor.norm", "norm[fro]", FLOAT, "loud: dim as a list: jnp.linalg.norm needs a tuple (hashing "
          "error)"),
    Known("torch.scatter_reduce", "scatter_reduce[prod]", ALL_DTYPES, "loud: JAX has no gradient for a scatter "
          "product with repeated indices (NotImplementedError), and refuses bool; the forward agrees"),
    Known("torch.Tensor.sign", "sign", INTS, BOOL_ADD),
    Known("torch.Tensor.sign", "sgn", INTS, BOOL_ADD),
    Known("torch.sign", "sign", INTS, BOOL_ADD),
    Known("torch.scatter[reduce]", "scatter", INTS, BOOL_ADD),
    Known("torch.scatter_add", "scatter_add", INTS, BOOL_ADD),
    Known("torch.scatter_reduce", "scatter_reduce[sum]", INTS, BOOL_ADD),
    # The rest of the uncapped sweep (pairs after F.avg_pool2d in op_db order), 2026-12-06.
    Known("torch.nn.functional.max_pool1d", "nn.functional.max_pool1d", FLOAT, "loud: kernel_size, stride or "
          "padding as a tuple (the rewrite's window arithmetic raises)"),
    Known("torch.nn.functional.max_pool2d", "nn.functional.max_pool2d", ("float32", "int64"), "loud: a gradient "
          "with dilation > 1 (JAX has no VJP for a dilated max window; the forward agrees)"),
    Known("torch.nn.functional.max_pool3d", "nn.functional.max_pool3d", ("float32", "int64"), "loud: kernel_size or "
          "stride as a tuple (the rewrite repeats it as one element)"),
    *(Known(r, "gather", ALL_DTYPES, "loud: an empty index of another rank than the input, or a 0-d input: torch "
            "returns an empty or 0-d result, jnp.take_along_axis raises")
      for r in ("torch.gather", "torch.Tensor.gather")),
    Known("torch.cat", "cat", ALL_DTYPES, "loud: a 1-d empty tensor beside N-d ones: torch skips it (legacy rule), "
          "jnp.concatenate raises"),
    *(Known(r, op, ALL_DTYPES, "loud: a dim whose size is not 1 (torch returns the tensor unchanged) or a 0-d tensor "
            "with dim 0: jnp.squeeze raises") for r in ("torch.squeeze[dim]", "torch.Tensor.squeeze[dim]")
      for op in ("squeeze", "squeeze[multiple]")),
    *(Known(r, "take_along_dim", ALL_DTYPES, "loud: no dim with N-d indices: torch flattens both, "
            "jnp.take_along_axis(axis=None) takes 1-d indices only (ValueError)")
      for r in ("torch.take_along_dim", "torch.Tensor.take_along_dim")),
    *(Known(r, "transpose", ALL_DTYPES, "loud: a 0-d tensor with dims 0 and -1: torch returns it, jnp.swapaxes "
            "raises (IndexError)") for r in ("torch.transpose", "torch.Tensor.transpose", "torch.swapaxes")),
    *(Known(r, "kron", ("bool",), "loud: bool tensors: torch multiplies them, jnp.kron's multiply refuses bool")
      for r in ("torch.kron", "torch.Tensor.kron")),
    Known("torch.tensordot", "tensordot", ("float32", "int64"), "loud: contracted axes of size 1 against size 2: "
          "torch broadcasts them, jnp.tensordot raises (TypeError)"),
    Known("torch.Tensor.logcumsumexp", "logcumsumexp", FLOAT, "loud: a 0-d tensor: the rewrite's dim % ndim "
          "divides by 0"),
    Known("torch.nn.functional.embedding_bag", "nn.functional.embedding_bag", FLOAT, "loud: float input and int "
          "weight: torch swaps them (a legacy argument order, with a warning), jnp.take raises on float indices"),
    *(Known(r, op, ALL_DTYPES, "loud: an empty input: the rewrite's reshape cannot infer -1 (ZeroDivisionError)")
      for r, op in (("torch.nn.functional.pixel_shuffle", "nn.functional.pixel_shuffle"),
                    ("torch.nn.functional.pixel_unshuffle", "nn.functional.pixel_unshuffle"))),
    Known("torch.Tensor.scatter_reduce", "scatter_reduce[prod]", ALL_DTYPES, "loud: JAX has no gradient for a "
          "scatter product with repeated indices (NotImplementedError), and refuses bool; the forward agrees"),
    Known("torch.Tensor.scatter_reduce", "scatter_reduce[sum]", INTS, BOOL_ADD),
    *(Known(f"torch.fft.{f}", f"fft.{f}", ALL_DTYPES, "loud: dim as an int (torch takes it for the n-d "
            "transforms) or three dims for a 2-d transform: jnp.fft's n-d functions take a sequence of axes, the "
            "2-d ones exactly two (TypeError / ValueError)")
      for f in ("fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn")),
    Known("torch.Tensor.ldexp", "ldexp", FLOAT, "loud: a float exponent: torch multiplies by 2**other, jnp.ldexp "
          "takes integer exponents only (ValueError)"),
    Known("torch.Tensor.masked_scatter", "masked_scatter", ALL_DTYPES, "loud: a mask with more dimensions than the "
          "tensor: torch broadcasts the two, the rewrite broadcasts the mask to the tensor's shape and raises"),
    Known("torch.linspace", "linspace[tensor_overload]", INTS, "caveat: an int dtype: torch truncates each point "
          "toward zero, JAX floors it (Difference on the record)"),
    Known("torch.sign", "sgn", INTS, BOOL_ADD),
    Known("torch.Tensor.scatter_add", "scatter_add", INTS, BOOL_ADD),
    Known("torch.Tensor.index_put", "index_put", INTS, BOOL_ADD),
    Known("torch.Tensor.put", "put", ALL_DTYPES, "loud: a 1-element source for a 0-d index, or bool values (JAX's "
          "scatter-add refuses bool): the rewrite's broadcast or add raises"),
    Known("torch.Tensor.index_fill", "index_fill", ALL_DTYPES, "loud: a 0-d tensor: the rewrite's dim % ndim "
          "divides by 0"),
    Known("torch.Tensor.histc", "histc", FLOAT, "loud: an empty input with min = max = 0 (the range from the data): "
          "the rewrite's min of an empty array raises"),
    Known("torch.Tensor.unfold", "unfold", ALL_DTYPES, "loud: a 0-d tensor: torch unfolds it as 1-d, the rewrite "
          "indexes its shape (IndexError)"),
    *(Known(f"torch.nn.functional.{f}", f"nn.functional.{f}", FLOAT, "loud: None in output_size (keep that size): "
            "the rewrite's window arithmetic raises (TypeError)")
      for f in ("adaptive_max_pool2d", "adaptive_max_pool3d")),
    *(Known("torch.Tensor.polygamma", f"polygamma[polygamma_n_{n}]", ("float32", "bool"), "caveat: JAX's polygamma "
            "is wrong at some negative x (polygamma(1, -8.598): torch 10.76, JAX -5.60) and nan at the poles where "
            "torch gives inf (Difference on the record)") for n in range(5)),
    *(Known(f"torch.{f}", f, ALL_DTYPES, "caveat: dtype=torch.float64: jnp.float64 is float32 unless x64 is "
            "enabled (Difference on the record)") for f in ("zeros_like", "ones_like", "full_like", "empty_like")),
    *(Known(r, op, INTS, FLOAT_ONLY) for r, op in (
        ("torch.rsqrt", "rsqrt"), ("torch.Tensor.rsqrt", "rsqrt"), ("torch.sigmoid", "sigmoid"),
        ("torch.Tensor.sigmoid", "sigmoid"), ("torch.nn.functional.sigmoid", "sigmoid"),
        ("torch.special.ndtr", "special.ndtr"), ("torch.special.ndtri", "special.ndtri"),
        ("torch.special.log_ndtr", "special.log_ndtr"))),
    *(Known(r, op, ALL_DTYPES, SCALAR_DIM) for r, op in (
        ("torch.quantile", "quantile"), ("torch.index_select", "index_select"),
        ("torch.Tensor.index_select", "index_select"), ("torch.logsumexp", "logsumexp"),
        ("torch.Tensor.logsumexp", "logsumexp"), ("torch.all", "all"), ("torch.Tensor.all", "all"),
        ("torch.any", "any"), ("torch.Tensor.any", "any"), ("torch.amax", "amax"), ("torch.Tensor.amax", "amax"),
        ("torch.amin", "amin"), ("torch.Tensor.amin", "amin"), ("torch.argmax", "argmax"),
        ("torch.Tensor.argmax", "argmax"), ("torch.argmin", "argmin"), ("torch.Tensor.argmin", "argmin"),
        ("torch.count_nonzero", "count_nonzero"), ("torch.mean", "mean"), ("torch.Tensor.mean", "mean"),
        ("torch.sum", "sum"), ("torch.Tensor.sum", "sum"), ("torch.nanmean", "nanmean"), ("torch.nansum", "nansum"),
        ("torch.max[dim]", "max[reduction_with_dim]"), ("torch.Tensor.max[dim]", "max[reduction_with_dim]"),
        ("torch.min[dim]", "min[reduction_with_dim]"), ("torch.Tensor.min[dim]", "min[reduction_with_dim]"),
        ("torch.sort", "sort"), ("torch.Tensor.sort", "sort"), ("torch.argsort", "argsort"),
        ("torch.Tensor.argsort", "argsort"), ("torch.topk", "topk"), ("torch.Tensor.topk", "topk"),
        ("torch.kthvalue", "kthvalue"), ("torch.special.softmax", "softmax"), ("torch.cumprod", "cumprod"),
        ("torch.Tensor.cumprod", "cumprod"), ("torch.Tensor.softmax", "softmax"),
        ("torch.nn.functional.softmax", "softmax"), ("torch.nn.functional.softmin", "softmin"),
        ("torch.Tensor.log_softmax", "log_softmax"), ("torch.nn.functional.log_softmax", "log_softmax"),
        ("torch.special.log_softmax", "log_softmax"), ("torch.nn.functional.normalize", "nn.functional.normalize"),
        ("torch.nn.functional.cosine_similarity", "nn.functional.cosine_similarity"),
        ("torch.prod", "prod"), ("torch.Tensor.prod", "prod"), ("torch.Tensor.count_nonzero", "count_nonzero"),
        ("torch.Tensor.nanmean", "nanmean"), ("torch.Tensor.nansum", "nansum"), ("torch.norm[p]", "norm"),
        ("torch.Tensor.norm", "norm"), ("torch.Tensor.quantile", "quantile"), ("torch.nanquantile", "nanquantile"),
        ("torch.Tensor.nanquantile", "nanquantile"), ("torch.Tensor.kthvalue", "kthvalue"),
        ("torch.Tensor.aminmax", "aminmax"), ("torch.linalg.vector_norm", "linalg.vector_norm"),
        ("torch.nn.functional.softmin", "nn.functional.softmin"))),
)


# -- which OpInfos test which catalogue APIs --------------------------------------------------------


@cache
def op_db() -> tuple:
    """torch's OpInfo database (imports in a few seconds; needs the `expecttest` package)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from torch.testing._internal.common_methods_invocations import op_db as ops
    return tuple(ops)


def api_names(op) -> list[tuple[str, bool]]:
    """The torch APIs an OpInfo exercises: (qualified name, is a Tensor method)."""
    names = [(f"torch.{op.name}", False)]
    if op.method_variant is not None:
        names.append((f"torch.Tensor.{getattr(op.method_variant, '__name__', op.name)}", True))
    for a in op.aliases:
        names.append((f"torch.{a.name}", False))
    return names


def pairs(catalogue: Catalogue, only: list[str] | None = None) -> list[tuple[str, bool, object]]:
    """(api, is_method, OpInfo) for every catalogue API with a rewrite that an OpInfo covers."""
    found = []
    for op in op_db():
        for api, method in api_names(op):
            records = catalogue.by_name.get(api, [])
            if not any(rewrite.has_rewrite(r) for r in records):
                continue
            if only and not any(api == p or api.startswith(p + ".") for p in only):
                continue
            found.append((api, method, op))
    return found


# -- a sample as source code ------------------------------------------------------------------------


def literal(value, tensors: dict) -> str:
    """Source text of one sample argument; tensors become placeholder names t0, t1, ... in `tensors`."""
    if isinstance(value, torch.Tensor):
        name = f"t{len(tensors)}"
        tensors[name] = value
        return name
    if value is None or isinstance(value, (bool, str, int)):
        return repr(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else f"float('{value}')"
    if isinstance(value, torch.dtype):
        return str(value)
    if isinstance(value, (list, tuple)):  # torch.Size included
        items = [literal(v, tensors) for v in value]
        if isinstance(value, list):
            return "[" + ", ".join(items) + "]"
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    raise Unwritable(f"{type(value).__name__} argument {value!r:.40}")


def call_source(api: str, method: bool, sample, tensors: dict) -> str:
    """`torch.X(t0, 1, dim=2)` or `t0.X(1, dim=2)` for one SampleInput."""
    args = [literal(a, tensors) for a in ((sample.input, *sample.args) if not method else sample.args)]
    receiver = literal(sample.input, tensors) if method else None
    if method and not isinstance(sample.input, torch.Tensor):
        raise Unwritable("method variant on a non-tensor input")
    args += [f"{k}={literal(v, tensors)}" for k, v in sample.kwargs.items()]
    name = api.rsplit(".", 1)[1] if method else api
    head = f"{receiver}.{name}" if method else name
    return f"{head}({', '.join(args)})"


# -- running one sample -----------------------------------------------------------------------------


@cache
def _catalogue() -> Catalogue:
    return Catalogue(mapping.load())


@cache
def _free_names() -> frozenset:
    """Every name a template takes from the caller's scope (`key`, `rngs`, a helper): declared, as a user
    binds them, so no rewrite is held back for them."""
    return frozenset().union(*(rewrite.free_names(r.template) for r in mapping.load() if r.template))


@cache
def _rewrite(call: str, tensors: tuple, api: str) -> tuple[str | None, Record | None, str]:
    """(JAX statement, chosen record, why not) for `out = <call>`, as `suggest --fix --unsafe-fixes` writes it."""
    declared = "".join(f"{n}: torch.Tensor\n" for n in tensors) + "".join(f"{n}: object\n" for n in _free_names())
    source = IMPORTS + declared + f"out = {call}\n"
    report = examine("opinfo.py", source, _catalogue(), Options(unsafe=True, render=True))
    line = source.count("\n")
    own = [f for f in report.findings if f.line == line and f.api == api]
    if not own:
        return None, None, "no finding for the call"
    f = min(own, key=lambda f: f.column)
    record = mapping.by_id().get(f.entry) if f.entry else None
    if not (f.fixable and f.replacement):
        return None, record, f"[{f.status}] {f.message}"
    body = [ln for ln in report.fixed.splitlines() if ln.startswith("out =")]
    return body[0], record, ""


def _torch_inputs(tensors: dict, grad: bool) -> dict:
    """Leaf copies of the sample's tensors (same strides); float ones that OpInfo marks require grad."""
    out = {}
    for name, t in tensors.items():
        leaf = t.detach()
        if grad and t.requires_grad and leaf.is_floating_point():
            leaf.requires_grad_(True)
        out[name] = leaf
    return out


def run_sample(api: str, method: bool, op, dtype: torch.dtype, index: int, sample) -> Outcome:
    """Rewrite one sample's call, execute both sides, compare forward and (where listed) gradient."""
    outcome = Outcome(api, op.name + (f"[{op.variant_test_name}]" if op.variant_test_name else ""),
                      str(dtype).removeprefix("torch."), index, "ok")
    tensors: dict = {}
    try:
        outcome.call = call_source(api, method, sample, tensors)
    except Unwritable as e:
        outcome.kind, outcome.detail = "unwritable", str(e)
        return outcome
    if any(t.is_complex() or t.layout != torch.strided for t in tensors.values()):
        outcome.kind, outcome.detail = "unwritable", "complex or sparse tensor"
        return outcome
    scope = {"torch": torch, "nn": torch.nn, "F": torch.nn.functional, **_torch_inputs(tensors, grad=True)}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(f"out = {outcome.call}", scope)
    except Exception as e:  # noqa: BLE001 - any torch error means torch rejects this sample
        outcome.kind, outcome.detail = "torch_rejects", f"{type(e).__name__}: {str(e)[:120]}"
        return outcome
    jax_line, record, why = _rewrite(outcome.call, tuple(tensors), api)
    outcome.record = record.id if record else ""
    if jax_line is None:
        outcome.kind, outcome.detail = "refused", why
        return outcome
    outcome.jax = jax_line
    if rewrite.free_names(record.template) & RANDOM_NAMES:
        outcome.kind = "random"
        return outcome
    if record.id in SIGN_FREE:
        torch_view, jax_view = sign_free_views(record)
        exec(torch_view, scope)
        outcome.jax = jax_line = f"{jax_line}\n{jax_view}"
    torch_out = check._flatten(scope["out"])
    undefined = op.name in UNDEFINED_VALUES
    inputs = {n: (t.detach().numpy() if not t.is_conj() else t.resolve_conj().detach().numpy())
              for n, t in scope.items() if n in tensors}
    wrt = [n for n in tensors if scope[n].requires_grad] if "grad" in record.checks else []
    try:
        outcome.detail = _compare(record, jax_line, torch_out, inputs, {n: scope[n] for n in wrt}, undefined)
    except Exception as e:  # noqa: BLE001 - a JAX error where torch gave a value is a finding
        outcome.kind, outcome.detail = "jax_error", f"{type(e).__name__}: {str(e)[:200]}"
        return outcome
    if outcome.detail:
        outcome.kind = "mismatch"
    return outcome


def sign_free_views(record: Record) -> tuple[str, str]:
    """The torch and JAX statements that turn `out` (the factors) into the sign-free quantities the record's
    examples compare: the names its first line binds, then its other lines."""
    first, *torch_lines = record.torch_example.splitlines()
    names, jax_lines = first.split(" = ")[0], record.jax_example.splitlines()[1:]
    return "\n".join([f"{names} = out", *torch_lines]), "\n".join([f"{names} = out", *jax_lines])


def _jax_scope() -> dict:
    scope = dict(check.JAX_SCOPE)
    for line in HELPERS.values():
        exec(line, scope)
    return scope


def _real(x):
    """A leaf as numpy; complex values as a trailing (real, imag) axis, so that `check.compare` measures them."""
    x = np.asarray(check._to_numpy(x))
    return np.stack([x.real, x.imag], -1) if np.iscomplexobj(x) else x


def _compare(record: Record, jax_line: str, torch_out: list, inputs: dict, wrt: dict, undefined: bool) -> str:
    """'' when JAX agrees with torch on the forward and the gradient; otherwise what differs.
    `undefined`: the values are unspecified (torch.empty): shapes and dtypes only."""
    import jax.numpy as jnp

    consts = {n: jnp.asarray(v) for n, v in inputs.items() if n not in wrt}

    def fn(diff: dict) -> list:
        scope = {**_jax_scope(), **consts, **diff}
        exec(jax_line, scope)
        return check._flatten(scope["out"])

    diff = {n: jnp.asarray(inputs[n]) for n in wrt}
    floats = [i for i, t in enumerate(torch_out)
              if isinstance(t, torch.Tensor) and t.requires_grad and t.is_floating_point()]
    names = list(wrt) if floats else []
    rng = np.random.default_rng(0)
    cts = {i: rng.uniform(-1, 1, torch_out[i].shape).astype(np.float32) for i in floats}

    def forward_and_grad(d: dict) -> tuple:
        outs = fn(d)
        if not names:
            return outs, {}
        primal, vjp = jax.vjp(lambda d: [fn(d)[i] for i in floats], d)
        (grads,) = vjp([jnp.asarray(cts[i], o.dtype) for i, o in zip(floats, primal)])
        return outs, grads

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # One compiled function for both when the record is proven under jit (one XLA compile per sample).
        try:
            got, jax_grads = (jax.jit(forward_and_grad) if "jit" in record.checks else forward_and_grad)(diff)
        except Exception:
            got, jax_grads = fn(diff), None  # the forward alone: a wrong shape is a mismatch, not a VJP error
        expected, got = [_real(t) for t in torch_out], [_real(a) for a in got]
        if undefined:
            expected, got = [np.zeros_like(e) for e in expected], [np.zeros_like(a) for a in got]
        result = check.compare("forward", expected, got, record.tol)
        if not result.ok:
            return f"forward: {result.detail}"
        if not names:
            return ""
        if jax_grads is None:
            forward_and_grad(diff)  # the forward agrees: raise the gradient's own error
        tg = torch.autograd.grad([torch_out[i] for i in floats], [wrt[n] for n in names],
                                 [torch.from_numpy(cts[i]) for i in floats], allow_unused=True)
        # None: no path to this input; a ZeroTensor (torch's lazily zero gradient, e.g. of sgn) cannot be read
        expected = [np.zeros(wrt[n].shape, np.float32) if g is None or g._is_zerotensor() else g.numpy()
                    for n, g in zip(names, tg)]
        result = check.compare("grad", expected, [jax_grads[n] for n in names], record.grad_tol, labels=names)
        return "" if result.ok else f"grad: {result.detail}"


def samples(op, dtype: torch.dtype) -> list:
    """The OpInfo's samples for this dtype, the same ones on every run (seeded); [] if it has none."""
    if dtype not in op.supported_dtypes("cpu"):
        return []
    torch.manual_seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # op.sample_inputs wraps this generator in a tracker that inspects the call stack on every use
            # (most of the time it takes); the samples are the same.
            return list(op.sample_inputs_func(op, "cpu", dtype, dtype.is_floating_point and op.supports_autograd))
    except Exception:  # noqa: BLE001 - a sample generator that fails on CPU gives no samples
        return []


def sweep(only: list[str] | None = None, cap: int | None = None, progress=None, dtypes: tuple = DTYPES,
          start: int = 0, stop: int | None = None) -> Sweep:
    """Run every covered API's OpInfo samples (the first `cap` per OpInfo and dtype when given), or the
    (API, OpInfo) pairs `start` to `stop` in op_db order; `progress(index, api, outcomes)` after each."""
    began = time.perf_counter()
    result = Sweep()
    chosen = pairs(_catalogue(), only)
    for index in range(start, min(len(chosen), stop if stop is not None else len(chosen))):
        api, method, op = chosen[index]
        done = len(result.outcomes)
        for dtype in dtypes:
            for i, sample in enumerate(samples(op, dtype)[:cap]):
                result.outcomes.append(run_sample(api, method, op, dtype, i, sample))
        if progress is not None:
            progress(index, api, result.outcomes[done:])
    result.seconds = time.perf_counter() - began
    return result


def report(result: Sweep) -> str:
    """The text `python -m mapping.opinfo` prints."""
    counts = result.counts()
    lines = [f"OpInfo sweep (torch {torch.__version__}, jax {jax.__version__}): {len(result.records())} records "
             f"covered, {len(result.outcomes)} samples in {result.seconds:.0f} s"]
    lines += [f"  {k}: {counts[k]}" for k in ("ok", "mismatch", "jax_error", "refused", "random", "torch_rejects",
                                               "unwritable")]
    by_record = Counter(o.record for o in result.outcomes if o.kind == "refused")
    if by_record:
        lines.append("refused by the codemod, by record: " + ", ".join(f"{k} {v}" for k, v in by_record.most_common()))
    findings = result.findings()
    unresolved = result.unresolved()
    lines.append(f"findings: {len(findings)} ({len(findings) - len(unresolved)} resolved, {len(unresolved)} not)")
    kinds = Counter(resolution(o).resolution.split(":")[0] for o in findings if resolution(o))
    lines += [f"  resolved as {k}: {v}" for k, v in sorted(kinds.items())]
    by_entry = Counter(resolution(o) for o in findings if resolution(o))
    lines += [f"  {n} x {k.record} <- OpInfo {k.opinfo} ({', '.join(k.dtypes)}): {k.resolution}"
              for k, n in sorted(by_entry.items(), key=lambda kv: (kv[0].resolution.split(':')[0], kv[0].record))]
    ran = {(o.record, o.opinfo) for o in result.outcomes}
    lines += [f"  known, explains nothing here: {k.record} <- OpInfo {k.opinfo} ({', '.join(k.dtypes)})"
              for k in KNOWN if (k.record, k.opinfo) in ran and k not in by_entry]
    lines += ["UNRESOLVED " + o.line() for o in unresolved]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mapping.opinfo", description=__doc__.split("\n\n")[0])
    parser.add_argument("apis", nargs="*", help="torch APIs (or prefixes) to sweep; all by default")
    parser.add_argument("--cap", type=int, default=None, help="samples per OpInfo and dtype (all by default)")
    parser.add_argument("--start", type=int, default=0, help="first (API, OpInfo) pair to run, in op_db order "
                        "(from 0; -v prints each pair's number)")
    parser.add_argument("--stop", type=int, default=None, help="run the pairs before this one only")
    parser.add_argument("-v", "--verbose", action="store_true", help="one line per OpInfo on stderr as it runs")
    args = parser.parse_args(argv)

    def progress(index: int, api: str, outcomes: list) -> None:
        counts = Counter(o.kind for o in outcomes)
        opinfo = outcomes[0].opinfo if outcomes else ""
        print(f"{index} {api} <- {opinfo}: {dict(counts)}", file=sys.stderr, flush=True)

    result = sweep(args.apis or None, args.cap, progress if args.verbose else None, start=args.start, stop=args.stop)
    print(report(result))
    return 1 if result.unresolved() else 0


if __name__ == "__main__":
    sys.exit(main())
