"""`torch.Tensor` methods of sparse and quantized layouts (status `unsupported`): a jax.Array is dense and unquantized.

Their examples still run (tests/test_catalogue.py executes both sides): the JAX side shows the dense or explicit way.
"""

from mapping.record import Record, T

_SPARSE = ("A jax.Array is dense; sparse arrays live in jax.experimental.sparse (BCOO for COO, BCSR for CSR: "
           "BCOO.fromdense(x), .todense(), .indices, .data), an experimental API with no layout conversions to "
           "match torch's one for one")
_QUANT = ("JAX has no quantized dtypes with a scale and zero point: keep the integer values and the scale as arrays "
          "and write the arithmetic (x_int - zero_point) * scale, or use a quantization library (e.g. aqt, qwix)")


def _unsupported(name: str, torch_example: str, jax_example: str, reason: str) -> Record:
    return Record(torch=f"torch.Tensor.{name}", jax="(none)", status="unsupported", checks=(),
                  torch_example=torch_example, jax_example=jax_example, inputs=(T("x", "N,C"),), reason=reason)


_DENSE = "out = x  # dense already; jax.experimental.sparse.BCOO.fromdense(x) for a sparse array"
_Q = "q = torch.quantize_per_tensor(x, 0.1, 0, torch.qint8)\n"
_QC = "q = torch.quantize_per_channel(x, torch.ones(x.shape[1]) / 10, torch.zeros(x.shape[1]), 1, torch.qint8)\n"
_QJ = "scale, zero_point = 0.1, 0\nq = jnp.clip(jnp.round(x / scale) + zero_point, -128, 127).astype(jnp.int8)\n"

RECORDS = [
    _unsupported("to_sparse", "out = x.to_sparse().to_dense()", _DENSE, _SPARSE),
    _unsupported("to_sparse_coo", "out = x.to_sparse_coo().to_dense()", _DENSE, _SPARSE),
    _unsupported("to_sparse_csr", "out = x.to_sparse_csr().to_dense()", _DENSE, _SPARSE),
    _unsupported("to_sparse_csc", "out = x.to_sparse_csc().to_dense()", _DENSE, _SPARSE),
    _unsupported("to_sparse_bsr", "out = x.to_sparse_bsr((1, 1)).to_dense()", _DENSE, _SPARSE),
    _unsupported("to_sparse_bsc", "out = x.to_sparse_bsc((1, 1)).to_dense()", _DENSE, _SPARSE),
    _unsupported("to_dense", "out = x.to_sparse().to_dense()", _DENSE, _SPARSE),
    _unsupported("coalesce", "out = x.to_sparse().coalesce().to_dense()", _DENSE, _SPARSE),
    _unsupported("is_coalesced", "out = x.to_sparse().is_coalesced()", "out = True  # a dense array has no duplicates",
                 _SPARSE),
    _unsupported("indices", "out = x.to_sparse().coalesce().indices()", "out = jnp.argwhere(x).T  # outside jit",
                 _SPARSE),
    _unsupported("values", "out = x.to_sparse().coalesce().values()", "out = x[x != 0]  # outside jit", _SPARSE),
    _unsupported("crow_indices", "out = x.to_sparse_csr().crow_indices()",
                 "out = jnp.concatenate([jnp.zeros(1, int), jnp.cumsum((x != 0).sum(1))])", _SPARSE),
    _unsupported("col_indices", "out = x.to_sparse_csr().col_indices()", "out = jnp.nonzero(x)[1]  # outside jit",
                 _SPARSE),
    _unsupported("ccol_indices", "out = x.to_sparse_csc().ccol_indices()",
                 "out = jnp.concatenate([jnp.zeros(1, int), jnp.cumsum((x != 0).sum(0))])", _SPARSE),
    _unsupported("row_indices", "out = x.to_sparse_csc().row_indices()", "out = jnp.nonzero(x.T)[1]  # outside jit",
                 _SPARSE),
    _unsupported("sparse_dim", "out = x.to_sparse().sparse_dim()", "out = 0  # every axis of a jax.Array is dense",
                 _SPARSE),
    _unsupported("dense_dim", "out = x.to_sparse().dense_dim()", "out = x.ndim", _SPARSE),
    _unsupported("sparse_mask", "out = x.sparse_mask((x > 0).to_sparse()).to_dense()", "out = jnp.where(x > 0, x, 0)",
                 _SPARSE),
    _unsupported("smm", "out = x.to_sparse().smm(x.T).to_dense()", "out = x @ x.T", _SPARSE),
    _unsupported("sspaddmm", "out = torch.zeros(2, 2).to_sparse().sspaddmm(torch.ones(2, 3).to_sparse(), "
                 "torch.ones(3, 2)).to_dense()", "out = jnp.zeros((2, 2)) + jnp.ones((2, 3)) @ jnp.ones((3, 2))",
                 _SPARSE),
    _unsupported("dequantize", _Q + "out = q.dequantize()", _QJ + "out = (q.astype(jnp.float32) - zero_point) * scale",
                 _QUANT),
    _unsupported("int_repr", _Q + "out = q.int_repr()", _QJ + "out = q", _QUANT),
    _unsupported("q_scale", _Q + "out = q.q_scale()", _QJ + "out = scale", _QUANT),
    _unsupported("q_zero_point", _Q + "out = q.q_zero_point()", _QJ + "out = zero_point", _QUANT),
    _unsupported("qscheme", _Q + "out = str(q.qscheme())", "out = 'per tensor affine: an array of int8 and a scale'",
                 _QUANT),
    _unsupported("q_per_channel_scales", _QC + "out = q.q_per_channel_scales()", "out = jnp.ones(x.shape[1]) / 10",
                 _QUANT),
    _unsupported("q_per_channel_zero_points", _QC + "out = q.q_per_channel_zero_points()",
                 "out = jnp.zeros(x.shape[1], int)", _QUANT),
    _unsupported("q_per_channel_axis", _QC + "out = q.q_per_channel_axis()", "out = 1", _QUANT),
]
