"""`torch.Tensor` methods of torch's runtime: storage, pointers and layout, devices and streams, autograd hooks,
resizing and aliasing, Python callbacks, and methods torch has removed. A jax.Array is an immutable value whose
buffer, layout and placement XLA owns, so most have no counterpart (`unsupported`) or a different pattern
(`manual`); every example runs, and the JAX one shows what to write instead.
"""

import dataclasses

from mapping.record import Choice, Record, T
from mapping.records import unsupported

_LAYOUT = ("XLA owns the memory layout of a jax.Array and does not expose strides or storage: "
           "code that depends on them must be rewritten in terms of shapes and values")
_ALIAS = ("JAX arrays are immutable values: no two names share a buffer that one of them can change, so "
          "aliasing, resizing a buffer in place and storage identity have no meaning; build the new value and "
          "rebind the name")
_SPARSE = ("a jax.Array is dense; jax.experimental.sparse (BCOO, BCSR) has no in-place resizing: build a new "
           "sparse array of the new shape")
_INTERNAL = "an internal helper of torch's own machinery (not meant for user code); JAX has no counterpart to call"
_X = (T("x", "N,C"),)
_NO_GRAD_RESIZE = "torch cannot resize a tensor that requires grad (RuntimeError)"


def _unsupported(name: str, torch_example: str, jax_example: str, reason: str, inputs: tuple = _X) -> Record:
    return Record(torch=f"torch.Tensor.{name}", jax="(none)", status="unsupported", checks=(),
                  torch_example=torch_example, jax_example=jax_example, inputs=inputs, reason=reason)


def _manual(name: str, jax: str, torch_example: str, jax_example: str, inputs: tuple, why_no_grad: str,
            notes: tuple, reason: str) -> Record:
    """A method with a different JAX pattern, compared forward and under jit; `why_no_grad` says why not grad."""
    return Record(torch=f"torch.Tensor.{name}", jax=jax, status="manual", torch_example=torch_example,
                  jax_example=jax_example, inputs=inputs, checks=("forward", "jit"), why_not={"grad": why_no_grad},
                  notes=notes, reason=reason)


def _sparse_resize(name: str, call: str) -> Record:
    """An in-place resize of a sparse tensor (`call` on s, a 2x2 sparse zero tensor; torch may raise)."""
    return _unsupported(name, f"s = torch.zeros(2, 2).to_sparse()\ntry:\n    s.{call}\nexcept RuntimeError:\n"
                        "    pass\nout = s.to_dense()", "out = jnp.zeros((2, 2))", _SPARSE)


def _callback(name: str, others: str, params: str, body: str, group: str) -> Record:
    """x.map_ / x.map2_: a Python function of x's elements and those of `others`, written with jnp operations."""
    arrays = others.split(", ")
    return _manual(name, "jax.numpy.vectorize", f"z = x.clone()\nz.{name}({others}, lambda {params}: {body})\nout = z",
                   f"z = x\nz = jnp.vectorize(lambda {params}: {body})(z, {others})\nout = z",
                   (T("x", "N,C", grad=False), *(T(a, "N,C", grad=False) for a in arrays)),
                   f"torch's {name} runs a Python function per element, outside autograd",
                   (f"torch calls the Python function on each {group} of elements; in JAX write it with jnp "
                    "operations.",),
                   "a Python callback per element has no JAX form: write the function with jnp operations and apply "
                   "it to the arrays (broadcasting, or jnp.vectorize)")


def _device(name: str, available: str) -> Record:
    """A move to a device type JAX has no backend for (IPU, MTIA, XPU); without `available`, torch raises."""
    torch_example = (f"out = x.{name}() if {available} else x" if available else
                     f"try:\n    out = x.{name}()\nexcept RuntimeError:  # torch built without {name.upper()} support\n"
                     "    out = x")
    return _unsupported(
        name, torch_example,
        "out = jax.device_put(x, jax.devices()[0])  # placement on a backend JAX has: jax.devices(platform)",
        f"JAX has no {name.upper()} backend; on the backends it has, jax.device_put(x, device_or_sharding) places "
        "an array, and arrays start on the default device")


def _removed(name: str, torch_call: str, replacement: str, jax_example: str) -> Record:
    """A method torch has removed (calling it raises): the replacement in both frameworks."""
    return _unsupported(
        name, f"try:\n    x.{torch_call}\nexcept RuntimeError:\n    out = {replacement}", jax_example,
        f"removed from torch (x.{name}() raises RuntimeError): use {replacement.split('(')[0]} in torch, and "
        f"{jax_example.removeprefix('out = ').split('(')[0]} in JAX", inputs=(T("x", "N,N"),))


_AS_STRIDED = next(r for r in unsupported.RECORDS if r.torch == "torch.as_strided")

RECORDS = [
    # -- pointers, storage, layout -----------------------------------------------------------------------------
    _unsupported("data_ptr", "out = x.data_ptr() != 0",
                 "out = x.unsafe_buffer_pointer() != 0  # one device's buffer; XLA may reuse it",
                 _LAYOUT + "; x.unsafe_buffer_pointer() gives a single-device array's address, for interop only "
                 "(views and aliasing, which torch code checks pointers for, do not exist)"),
    _unsupported("const_data_ptr", "out = x.const_data_ptr() != 0",
                 "out = x.unsafe_buffer_pointer() != 0  # one device's buffer; XLA may reuse it",
                 _LAYOUT + "; x.unsafe_buffer_pointer() gives a single-device array's address, for interop only"),
    _unsupported("storage", "out = x.storage().size()", "out = x.size  # the element count; no storage object",
                 _LAYOUT),
    _unsupported("storage_offset", "out = x[1:].storage_offset()", "out = 0  # a slice is a new array of its own",
                 _LAYOUT),
    _unsupported("storage_type", "out = x.storage_type().__name__", "out = str(x.dtype)  # the dtype is what there is",
                 _LAYOUT),
    _unsupported("is_contiguous", "out = x.contiguous().is_contiguous()",
                 "out = True  # no strides: every array behaves as contiguous", _LAYOUT),
    _unsupported("dim_order", "out = x.contiguous().dim_order()", "out = tuple(range(x.ndim))  # logical order only",
                 _LAYOUT),
    dataclasses.replace(_AS_STRIDED, torch="torch.Tensor.as_strided",
                        torch_example="out = x.as_strided((2, 2), (1, 1))"),
    dataclasses.replace(_AS_STRIDED, torch="torch.Tensor.as_strided_",
                        torch_example="z = x.clone()\nz.as_strided_((2, 2), (1, 1))\nout = z"),
    dataclasses.replace(_AS_STRIDED, torch="torch.Tensor.as_strided_scatter",
                        torch_example="out = x.as_strided_scatter(torch.zeros(2, 2), (2, 2), (1, 1))",
                        jax_example="out = x.reshape(-1).at[jnp.array([0, 1, 2])].set(0.0).reshape(x.shape)  "
                                    "# scatter to the flat positions the strides name"),
    _unsupported("to_mkldnn", "out = x.to_mkldnn().to_dense()", "out = x  # XLA picks CPU layouts itself",
                 "oneDNN (MKL-DNN) is a torch CPU layout; XLA chooses layouts and oneDNN kernels itself"),
    _unsupported("to_padded_tensor", "out = torch.nested.nested_tensor([x[0], x[1, :1]]).to_padded_tensor(0.0)",
                 "out = jnp.stack([x[0], jnp.pad(x[1, :1], (0, x.shape[1] - 1))])  # pad each row, then stack",
                 "JAX has no nested (ragged) tensors: keep padded arrays with their lengths (or a mask) from the "
                 "start", inputs=(T("x", "2,C"),)),
    _unsupported("hash_tensor", "out = x.hash_tensor().shape", "out = ()  # hash np.asarray(x).tobytes() on the host",
                 "JAX has no array hash: hash the bytes on the host (hashlib.sha256(np.asarray(x).tobytes()))"),
    # -- devices, streams, sharing --------------------------------------------------------------------------
    _device("ipu", ""),
    _device("mtia", "torch.mtia.is_available()"),
    _device("xpu", "torch.xpu.is_available()"),
    _unsupported("get_device", "out = x.get_device()  # -1 on the CPU",
                 "out = [d.id for d in x.devices()]  # the devices holding the array",
                 "a jax.Array may live on several devices (sharding): x.devices() gives the set, x.sharding the "
                 "layout over them"),
    _unsupported("record_stream", "if torch.cuda.is_available():\n    x.record_stream(torch.cuda.current_stream())\n"
                 "out = x", "out = x  # XLA orders work on its streams itself",
                 "XLA schedules device streams and buffer lifetimes itself; there is no stream to record"),
    _unsupported("is_pinned", "out = x.is_pinned()", "out = False  # no pinned host arrays to ask about",
                 "JAX allocates host transfer buffers itself; there is no pinned-memory flag on an array"),
    _unsupported("is_shared", "out = x.is_shared()", "out = False  # arrays are not shared across processes",
                 "torch.multiprocessing shares tensors through OS shared memory; JAX processes share data through "
                 "jax.distributed and shardings"),
    _unsupported("is_distributed", "out = x.is_distributed()",
                 "out = len(x.sharding.device_set) > 1  # spread over several devices?",
                 "a deprecated torch flag (always False); in JAX an array's sharding says where its pieces live"),
    # -- autograd ----------------------------------------------------------------------------------------------
    _unsupported("register_post_accumulate_grad_hook",
                 "p = x.clone().requires_grad_()\nh = p.register_post_accumulate_grad_hook(lambda t: None)\n"
                 "h.remove()\nout = p.detach()",
                 "out = x  # transform the gradients jax.grad returns (an optax transformation) instead",
                 "JAX accumulates no .grad on arrays: jax.grad returns the gradients, and code run after "
                 "accumulation belongs in the update step (an optax.GradientTransformation)"),
    _manual("retain_grad", "jax.grad",
            "y = x.clone().requires_grad_() * 2\ny.retain_grad()\n(y * y).sum().backward()\nout = y.grad",
            "y = x * 2\nout = jax.grad(lambda y: (y * y).sum())(y)", (T("x", "N,C", grad=False),),
            "the example computes a gradient itself; its inputs take none",
            ("The gradient with respect to an intermediate value: in JAX, make it an argument of the function "
             "that jax.grad differentiates.",),
            "JAX keeps no .grad on intermediate arrays: differentiate a function of that intermediate "
            "(jax.grad(f)(y)), or return it from jax.vjp"),
    _unsupported("reinforce", "try:\n    x.reinforce(x)\nexcept RuntimeError:\n    out = x",
                 "out = x  # score-function gradients: log_prob(sample) * advantage in the loss",
                 "removed from torch (raises RuntimeError); write the score-function estimator into the loss: "
                 "jax.scipy.stats log-densities times the reward"),
    # -- resizing and aliasing -------------------------------------------------------------------------------
    _manual("resize_", "jax.Array.reshape", "z = x.contiguous().clone()\nz.resize_(2, s)\nout = z",
            "z = x\nz = z.reshape(-1)[:2 * s].reshape(2, s)\nout = z", (T("x", "3,3", grad=False), Choice("s", (2, 3))),
            _NO_GRAD_RESIZE,
            ("Shrinking a contiguous tensor keeps its first elements in memory order in both. Growing it "
             "exposes uninitialised memory in torch; JAX has none: pad with jnp.pad or build the array.",),
            _ALIAS + ": take the first n elements of x.reshape(-1) (and pad to grow)"),
    _manual("resize_as_", "jax.Array.reshape", "z = x.contiguous().clone()\nz.resize_as_(y)\nout = z",
            "z = x\nz = z.reshape(-1)[:y.size].reshape(y.shape)\nout = z",
            (T("x", "3,3", grad=False), T("y", "2,N", grad=False)), _NO_GRAD_RESIZE,
            ("As x.resize_(y.shape): shrinking keeps the first elements in memory order in both.",),
            _ALIAS + ": take the first y.size elements of x.reshape(-1) (and pad to grow)"),
    _unsupported("resize", "try:\n    x.resize(2, 2)\nexcept RuntimeError:\n    out = x.reshape(-1)[:4].reshape(2, 2)",
                 "out = x.reshape(-1)[:4].reshape(2, 2)",
                 "deprecated in torch (it raises unless the element count is unchanged): x.reshape in both",
                 inputs=(T("x", "3,3"),)),
    _unsupported("resize_as", "try:\n    x.resize_as(x[:2, :2])\nexcept RuntimeError:\n"
                 "    out = x.reshape(-1)[:4].reshape(2, 2)",
                 "out = x.reshape(-1)[:4].reshape(2, 2)",
                 "deprecated in torch (it raises unless the element count is unchanged): x.reshape(y.shape) in both",
                 inputs=(T("x", "3,3"),)),
    _unsupported("set_", "z = torch.empty(0)\nz.set_(x)\nout = z", "z = x  # names, not buffers\nout = z", _ALIAS),
    _unsupported("is_set_to", "out = x.is_set_to(x)", "out = True  # the same name is the same value", _ALIAS),
    _sparse_resize("sparse_resize_", "sparse_resize_((3, 3), 2, 0)"),
    _sparse_resize("sparse_resize_and_clear_", "sparse_resize_and_clear_((3, 3), 2, 0)"),
    _sparse_resize("resize_as_sparse_", "resize_as_sparse_(torch.zeros(3, 3).to_sparse())"),
    # -- Python callbacks and legacy constructors --------------------------------------------------------------
    _manual("apply_", "jax.numpy.vectorize", "z = x.clone()\nz.apply_(lambda v: v * 2 + 1 if v > 0 else -v)\nout = z",
            "z = x\nz = jnp.vectorize(lambda v: jnp.where(v > 0, v * 2 + 1, -v))(z)\nout = z",
            (T("x", "N,C", grad=False),), "torch's apply_ runs a Python function per element, outside autograd",
            ("torch calls the Python function on each element (CPU only, slow); in JAX write it with jnp "
             "operations (jnp.where for branches): it is traced once and runs vectorised.",),
            "a Python callback per element has no JAX form: write the function with jnp operations (branches "
            "with jnp.where), then apply it to the whole array (jnp.vectorize or jax.vmap if it needs scalars)"),
    _callback("map_", "y", "a, b", "a + 2 * b", "pair"),
    _callback("map2_", "y, w", "a, b, c", "a * b - c", "triple"),
    _manual("new", "jax.numpy.asarray", "out = x.new([[1.0, -2.5], [0.5, 3.0]])",
            "out = jnp.asarray([[1.0, -2.5], [0.5, 3.0]], dtype=x.dtype)", (T("x", "N,C", grad=False),),
            "the output is built from the data given: no value of x flows into it",
            ("A legacy constructor: x.new(data) is x.new_tensor(data); x.new(2, 3) (sizes) is an uninitialised "
             "x.new_empty((2, 3)), which jnp.empty fills with zeros.",),
            "a legacy constructor whose meaning depends on its arguments (data or sizes): write "
            "jnp.asarray(data, dtype=x.dtype) or jnp.empty(sizes, dtype=x.dtype)"),
    _unsupported("as_subclass", "class Mine(torch.Tensor):\n    pass\nout = x.as_subclass(Mine).sum().item()",
                 "out = x.sum()  # keep extra data beside the array (a pytree dataclass)",
                 "jax.Array cannot be subclassed: carry extra data beside the array in a pytree (a dataclass "
                 "registered with jax.tree_util, or an nnx.Variable)"),
    _unsupported("module_load", "out = x.module_load(x * 2)", "out = x * 2  # loading a state dict assigns arrays",
                 _INTERNAL + "; loading a state dict into a Flax model assigns the arrays (nnx.update)"),
    _unsupported("slice_inverse", "out = x.slice_inverse(x[1:], 0, 1)", "out = x[1:]", _INTERNAL),
    _unsupported("index", "out = x[0]  # x.index(positions, dims): first-class dims (functorch.dim)",
                 "out = x[0]", _INTERNAL + "; index with ordinary indexing or lax.dynamic_index_in_dim"),
    _unsupported("istft",
                 "w = torch.hann_window(8)\ns = x.stft(8, hop_length=2, window=w, return_complex=True)\n"
                 "out = s.istft(8, hop_length=2, window=w)",
                 "out = x  # overlap-add the frames of jnp.fft.irfft and divide by the summed squared window",
                 "jax.scipy.signal.istft follows scipy's conventions (scaling, boundary padding, window "
                 "normalisation), not torch's, so no call maps onto another: invert with jnp.fft.irfft of the "
                 "frames, overlap-add, and divide by the summed squared window (as torch does)",
                 inputs=(T("x", "16"),)),
    # -- removed from torch ----------------------------------------------------------------------------------
    _removed("eig", "eig()", "torch.linalg.eigvals(x @ x.mT).real", "out = jnp.linalg.eigvals(x @ x.mT).real"),
    _removed("symeig", "symeig()", "torch.linalg.eigvalsh(x @ x.mT)", "out = jnp.linalg.eigvalsh(x @ x.mT)"),
    _removed("lstsq", "lstsq(x)", "torch.linalg.lstsq(x, x).solution", "out = jnp.linalg.lstsq(x, x)[0]"),
    _removed("solve", "solve(x)", "torch.linalg.solve(x, x)", "out = jnp.linalg.solve(x, x)"),
    Record(
        torch="torch.Tensor.is_nonzero",
        jax="bool",
        status="manual",
        torch_example="out = x[:1, :1].is_nonzero()",
        jax_example="out = bool(x[:1, :1] != 0)",
        inputs=(T("x", "N,C", dtype="int64", low=-1, high=2),),
        checks=("forward",),
        why_not={"jit": "a Python bool is a value on the host: traced code has none"},
        notes=("Both take a one-element tensor to a Python bool (and raise for more elements).",),
        reason="converts a one-element tensor to a Python bool, a value on the host that traced (jitted) code "
               "cannot have: outside jit, bool(x != 0); inside, keep x != 0 as an array and branch with jnp.where "
               "or lax.cond",
    ),
]
