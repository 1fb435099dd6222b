"""`torch.*` tensor creation: from data, filled, ranges, identity and triangular matrices, grids."""

from mapping.record import Choice, Difference, Record, T

# torch dtype literals -> JAX dtypes (applied to the source text of a `dtype=` argument).
DTYPES = {
    "torch.float32": "jnp.float32", "torch.float": "jnp.float32",
    "torch.float16": "jnp.float16", "torch.half": "jnp.float16",
    "torch.bfloat16": "jnp.bfloat16",
    "torch.float64": "jnp.float64", "torch.double": "jnp.float64",
    "torch.int64": "jnp.int64", "torch.long": "jnp.int64",
    "torch.int32": "jnp.int32", "torch.int": "jnp.int32",
    "torch.int16": "jnp.int16", "torch.short": "jnp.int16",
    "torch.int8": "jnp.int8", "torch.uint8": "jnp.uint8",
    "torch.bool": "jnp.bool_",
    "torch.complex64": "jnp.complex64", "torch.cfloat": "jnp.complex64",
}
FILLED_SIG = "*size, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False"
LIKE_SIG = ("input, *, dtype=None, layout=None, device=None, requires_grad=False, "
            "memory_format=torch.preserve_format")
UNSUPPORTED = {
    "out": "JAX arrays are immutable: assign the result instead",
    "requires_grad": "JAX differentiates functions, not tensors: pass the array as an argument of the "
                     "function given to jax.grad",
}
DEVICE_NOTE = ("device= and layout= are dropped: JAX puts arrays on the default device "
               "(jax.device_put(x, device) to move one).")
INT_NOTE = ("Integer results are int64 in torch, int32 in JAX unless jax_enable_x64 is set "
            "(dtype=torch.long maps to jnp.int64, which JAX truncates to int32 with a warning).")
SIZE_NOTE = "torch accepts sizes as separate ints or one tuple; jnp wants one shape tuple."
X64_LIKE_NOTE = ("dtype=torch.float64 maps to jnp.float64, which JAX gives only with x64 enabled "
                 "(jax.config.update('jax_enable_x64', True) at start-up); without it the result is float32 "
                 "(with a UserWarning).")


def _x64_difference(fn: str, extra: str = "") -> Difference:
    """dtype=float64 in a *_like call: float64 in torch, float32 in JAX without x64 (bytes per element)."""
    return Difference(note=f"{fn}(x{extra}, dtype=float64): torch float64, JAX float32 without x64",
                      torch=f"out = float(torch.{fn}(torch.zeros(3){extra}, dtype=torch.float64).element_size())",
                      jax=f"out = float(jnp.{fn}(jnp.zeros(3){extra}, dtype=jnp.float64).dtype.itemsize)",
                      min_diff=4.0)

ARANGE_SIG = ("start=0, end=None, step=1, *, out=None, dtype=None, layout=torch.strided, device=None, "
              "requires_grad=False")
ARANGE_TEMPLATE = "jnp.arange({start}, stop={end?}, step={step?}, dtype={dtype?})"
FLOAT_DTYPES = {k: v for k, v in DTYPES.items() if "float" in v or "complex" in v}  # no integer index


RECORDS = [
    Record(
        torch="torch.tensor",
        jax="jax.numpy.array",
        torch_example="out = torch.tensor(v)",
        jax_example="out = jnp.array(v)",
        inputs=(Choice("v", ([1.5, -2.0, 3.25], [[1, 2], [3, 4]], 2.5, [True, False], [[0.5], [1]], [])),),
        status="caveat",
        checks=("forward", "jit"),
        notes=(
            "Python floats give float32 in both. " + INT_NOTE,
            "Python complex numbers give complex64 in both (complex128 in JAX only with x64).",
            "torch.tensor(np_float64_array) keeps float64; jnp.array makes it float32 without x64.",
            DEVICE_NOTE,
        ),
        differences=(
            Difference(
                note="torch.tensor of Python ints is int64; jnp.array gives int32 (x64 off): sums past 2**31 wrap",
                torch="out = torch.tensor([2**31 - 1]) + 1",
                jax="out = jnp.array([2**31 - 1]) + 1",
                min_diff=2**32 - 1,
            ),
        ),
        sig="data, *, dtype=None, device=None, requires_grad=False, pin_memory=False",
        template="jnp.array({data}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.as_tensor",
        jax="jax.numpy.asarray",
        torch_example="out = torch.as_tensor(np.asarray(v, dtype=dt))",
        jax_example="out = jnp.asarray(np.asarray(v, dtype=dt))",
        inputs=(Choice("v", ([1.5, -2.0, 3.25], [[1, 2], [3, 4]], [])), Choice("dt", ("float32", "int64", "bool"))),
        status="caveat",
        checks=("forward", "jit"),
        notes=(
            "float64 numpy arrays stay float64 in torch and become float32 in JAX (x64 off): "
            "precision below 1.2e-7 relative is lost. " + INT_NOTE,
            "torch.as_tensor shares memory with a numpy array when it can; jnp.asarray gives an "
            "immutable array.",
            DEVICE_NOTE,
        ),
        differences=(
            Difference(
                note="a float64 numpy array stays float64 in torch and is cast to float32 in JAX",
                torch="out = torch.as_tensor(np.array([1.0 + 1e-9])) - 1",
                jax="out = jnp.asarray(np.array([1.0 + 1e-9])) - 1",
                min_diff=9e-10,
            ),
        ),
        sig="data, dtype=None, device=None",
        template="jnp.asarray({data}, dtype={dtype?})",
        values={"dtype": DTYPES},
    ),
    Record(
        torch="torch.from_numpy",
        jax="jax.numpy.asarray",
        torch_example="out = torch.from_numpy(np.asarray(v, dtype=dt))",
        jax_example="out = jnp.asarray(np.asarray(v, dtype=dt))",
        inputs=(Choice("v", ([1.5, -2.0, 3.25], [[1, 2], [3, 4]], [])), Choice("dt", ("float32", "int64", "bool"))),
        status="caveat",
        checks=("forward", "jit"),
        notes=(
            "torch.from_numpy shares memory: writing to the numpy array changes the tensor. "
            "jnp.asarray gives an immutable array; later numpy writes are not seen.",
            "float64 arrays become float32 in JAX (x64 off). " + INT_NOTE,
        ),
        differences=(
            Difference(
                note="float64 numpy data keeps its precision in torch, is rounded to float32 in JAX",
                torch="out = torch.from_numpy(np.array([1.0 + 1e-9])) - 1",
                jax="out = jnp.asarray(np.array([1.0 + 1e-9])) - 1",
                min_diff=9e-10,
            ),
        ),
        sig="ndarray",
    ),
    Record(
        torch="torch.zeros",
        jax="jax.numpy.zeros",
        torch_example="out = torch.zeros(n, 3)",
        jax_example="out = jnp.zeros((n, 3))",
        inputs=(Choice("n", (0, 1, 4)),),
        checks=("forward", "jit"),
        notes=(SIZE_NOTE, DEVICE_NOTE),
        sig=FILLED_SIG,
        template="jnp.zeros({size}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.ones",
        jax="jax.numpy.ones",
        torch_example="out = torch.ones(n, 3, dtype=torch.int32)",
        jax_example="out = jnp.ones((n, 3), dtype=jnp.int32)",
        inputs=(Choice("n", (0, 1, 4)),),
        checks=("forward", "jit"),
        notes=(SIZE_NOTE, DEVICE_NOTE),
        sig=FILLED_SIG,
        template="jnp.ones({size}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.full",
        jax="jax.numpy.full",
        torch_example="out = torch.full((n, 3), v)",
        jax_example="out = jnp.full((n, 3), v)",
        inputs=(Choice("n", (0, 1, 4)), Choice("v", (1.5, float("-inf"), 7, True))),
        status="caveat",
        checks=("forward", "jit"),
        notes=("The dtype follows the fill value in both: float -> float32, bool -> bool. " + INT_NOTE,
               DEVICE_NOTE),
        sig="size, fill_value, *, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False",
        template="jnp.full({size}, {fill_value}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.empty",
        jax="jax.numpy.empty",
        torch_example="e = torch.empty(n, 3)\nout = (e[:0], list(e.shape))",
        jax_example="e = jnp.empty((n, 3))\nout = (e[:0], list(e.shape))",
        inputs=(Choice("n", (0, 1, 4)),),
        status="caveat",
        checks=("forward", "jit"),
        notes=(
            "torch.empty leaves memory uninitialised; jnp.empty returns zeros (XLA has no "
            "uninitialised arrays). Only the shape and dtype are compared (e[:0] has no values).",
            "Code that relies on overwriting an empty buffer in place must build the values "
            "functionally (jnp.stack, .at[].set).",
            SIZE_NOTE,
        ),
        sig=FILLED_SIG + ", pin_memory=False, memory_format=torch.contiguous_format",
        template="jnp.empty({size}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.zeros_like",
        jax="jax.numpy.zeros_like",
        torch_example="out = torch.zeros_like(x)",
        jax_example="out = jnp.zeros_like(x)",
        inputs=(T("x", "*", grad=False),),
        status="caveat",
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "creation: the output depends on x's shape and dtype only, not on its values"},
        sizes=(0, 4),
        notes=("The input is used for its shape and dtype only: no gradient flows.", DEVICE_NOTE, X64_LIKE_NOTE),
        sig=LIKE_SIG,
        template="jnp.zeros_like({input}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
        differences=(_x64_difference("zeros_like"),),
    ),
    Record(
        torch="torch.ones_like",
        jax="jax.numpy.ones_like",
        torch_example="out = torch.ones_like(x, dtype=torch.bool)",
        jax_example="out = jnp.ones_like(x, dtype=jnp.bool_)",
        inputs=(T("x", "*", grad=False),),
        status="caveat",
        checks=("forward", "jit"),
        sizes=(0, 4),
        notes=("The input is used for its shape and dtype only: no gradient flows.", DEVICE_NOTE, X64_LIKE_NOTE),
        sig=LIKE_SIG,
        template="jnp.ones_like({input}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
        differences=(_x64_difference("ones_like"),),
    ),
    Record(
        torch="torch.full_like",
        jax="jax.numpy.full_like",
        torch_example="out = torch.full_like(x, v)",
        jax_example="out = jnp.full_like(x, v)",
        inputs=(T("x", "*", grad=False), Choice("v", (0.5, float("-inf"), 7))),
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "creation: the output depends on x's shape and dtype only, not on its values"},
        sizes=(0, 4),
        status="caveat",
        notes=("The dtype is the input's (an int fill value on a float tensor gives floats) in both.",
               DEVICE_NOTE, X64_LIKE_NOTE),
        sig="input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False, "
            "memory_format=torch.preserve_format",
        template="jnp.full_like({input}, {fill_value}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
        differences=(_x64_difference("full_like", ", 2.5"),),
    ),
    Record(
        torch="torch.empty_like",
        jax="jax.numpy.empty_like",
        torch_example="e = torch.empty_like(x)\nout = (e[:0], list(e.shape))",
        jax_example="e = jnp.empty_like(x)\nout = (e[:0], list(e.shape))",
        inputs=(T("x", "N,C", grad=False),),
        status="caveat",
        checks=("forward", "jit", "bf16"),
        why_not={"grad": "creation: the output depends on x's shape and dtype only, not on its values"},
        sizes=(0, 4),
        notes=("torch.empty_like leaves memory uninitialised; jnp.empty_like returns zeros. Only "
               "the shape and dtype are compared (e[:0] has no values).", X64_LIKE_NOTE),
        sig=LIKE_SIG,
        template="jnp.empty_like({input}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
        differences=(_x64_difference("empty_like"),),
    ),
    Record(
        torch="torch.arange",
        jax="jax.numpy.arange",
        torch_example="out = (torch.arange(n), torch.arange(a, n), torch.arange(a, n, s))",
        jax_example="out = (jnp.arange(n), jnp.arange(a, stop=n), jnp.arange(a, stop=n, step=s))",
        inputs=(Choice("n", (0, 1, 7)), Choice("a", (0, -3, -1)), Choice("s", (1, 2, 3))),
        status="caveat",
        checks=("forward", "jit"),
        notes=("torch.arange(n) is int64; jnp.arange(n) is int32 without x64: index arithmetic past "
               "2**31 wraps silently.", DEVICE_NOTE,
               "With an integer dtype and a float end, torch casts start, end and step to integers first: "
               "arange(0, 3.1, dtype=torch.int64) is [0, 1, 2]; jnp.arange counts from the floats: [0, 1, 2, 3] "
               "(PyTorch's OpInfo inputs found it)."),
        differences=(
            Difference(
                note="arange(0, 3.1, dtype=int64): 3 values in torch, 4 in JAX",
                torch="out = float(len(torch.arange(0, 3.1, dtype=torch.int64)))",
                jax="out = float(len(jnp.arange(0, stop=3.1, dtype=jnp.int32)))",
                min_diff=1.0,
            ),
            Difference(
                note="int64 in torch, int32 in JAX: squares of indices past 46341 overflow in JAX",
                torch="out = torch.arange(65536, 65539) ** 2",
                jax="out = jnp.arange(65536, 65539) ** 2",
                min_diff=2**32 - 1,
            ),
            Difference(
                note="an end below start (step 1) raises in torch; jnp.arange returns an empty array",
                torch="out = torch.arange(2, 0)",
                jax="out = jnp.arange(2, stop=0)",
                torch_raises="RuntimeError",
            ),
        ),
        sig=ARANGE_SIG,
        template=ARANGE_TEMPLATE,
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.arange",
        variant="dtype",
        jax="jax.numpy.arange",
        torch_example="out = (torch.arange(n, dtype=torch.float32), torch.arange(a, n, s, dtype=torch.float32))",
        jax_example="out = (jnp.arange(n, dtype=jnp.float32), jnp.arange(a, stop=n, step=s, dtype=jnp.float32))",
        inputs=(Choice("n", (0, 1, 7)), Choice("a", (0, -3, -1)), Choice("s", (1, 2, 3))),
        checks=("forward", "jit"),
        notes=("Integer start, end and step with a floating dtype (torch.arange(n, dtype=torch.float32), as "
               "windows and DFT matrices are built): the same float values in both, no int64 index (measured "
               "equal past 2**24 too: arange(10**8, 10**8 + 100, 3)).", DEVICE_NOTE,
               "An integer dtype is the plain entry's case (int64 vs int32)."),
        sig=ARANGE_SIG,
        template=ARANGE_TEMPLATE,
        values={"dtype": FLOAT_DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.arange",
        variant="float",
        jax="jax.numpy.arange",
        torch_example="out = torch.arange(a, b, s)",
        jax_example="out = jnp.arange(a, stop=b, step=s)",
        inputs=(Choice("a", (0.0, -1.5)), Choice("b", (1.0, 2.75)), Choice("s", (0.1, 0.25, 0.7))),
        checks=("forward", "jit"),
        notes=("Float arguments give float32 in both. Elements agree within 1 ulp (torch computes "
               "start + i * step in double, then rounds).", DEVICE_NOTE,
               "An integer or bool dtype is not rewritten: with float arguments torch casts them first "
               "(arange(1.0, 5.000001, 2.0, dtype=torch.int64) has 2 values, JAX's 3); see the int entry."),
        sig=ARANGE_SIG,
        template=ARANGE_TEMPLATE,
        values={"dtype": FLOAT_DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.linspace",
        jax="jax.numpy.linspace",
        torch_example="out = torch.linspace(a, b, n)",
        jax_example="out = jnp.linspace(a, b, n)",
        inputs=(Choice("a", (0.0, -2.5)), Choice("b", (1.0, 3.0)), Choice("n", (0, 1, 2, 7, 50))),
        checks=("forward", "jit"),
        status="caveat",
        notes=("float32: jnp.linspace computes start + i * step for every point, torch computes the second half "
               "back from end: near a zero crossing JAX is off by up to about an ulp of |start| (index 46 of "
               "linspace(50, -3, 50): torch 0.24489784, float64 0.24489796, JAX 0.24489933; PyTorch's OpInfo "
               "inputs found it). The proofs use small endpoints.",
               "An integer dtype rounds differently: torch truncates each point toward zero, jnp.linspace floors "
               "it (-2.1667 is -2 in torch, -3 in JAX).",
               DEVICE_NOTE, "torch requires steps; jnp.linspace defaults to num=50."),
        differences=(
            Difference(
                note="linspace(50, -3, 50)[46]: torch 0.24489784 (float64 0.24489796), JAX 0.24489933",
                torch="out = torch.linspace(50.0, -3.0, 50)[46]",
                jax="out = jnp.linspace(50.0, -3.0, 50)[46]",
                min_diff=1e-6,
            ),
            Difference(
                note="linspace(-2, -3, 7, dtype=int64): torch truncates toward zero, JAX floors",
                torch="out = torch.linspace(-2.0, -3.0, 7, dtype=torch.int64)",
                jax="out = jnp.linspace(-2.0, -3.0, 7, dtype=jnp.int32)",
                min_diff=1.0,
            ),
        ),
        sig="start, end, steps, *, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False",
        template="jnp.linspace({start}, {end}, {steps}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.logspace",
        jax="jax.numpy.logspace",
        torch_example="out = torch.logspace(a, b, n, base=base)",
        jax_example="out = jnp.logspace(a, b, n, base=base)",
        inputs=(Choice("a", (0.0, -3.0)), Choice("b", (1.0, 2.0)), Choice("n", (0, 1, 5, 20)),
                Choice("base", (10.0, 2.0))),
        checks=("forward", "jit"),
        status="caveat",
        notes=("torch requires steps; jnp.logspace defaults to num=50.", DEVICE_NOTE,
               "With an integer dtype torch truncates the exponents first: logspace(0.5, 2.5, 3, dtype=torch.int64) "
               "is [1, 10, 100], JAX's [3, 31, 316] (PyTorch's OpInfo inputs found it). Float dtypes agree."),
        differences=(Difference(note="logspace(0.5, 2.5, 3, dtype=int64): torch [1, 10, 100], JAX [3, 31, 316]",
                                torch="out = torch.logspace(0.5, 2.5, 3, dtype=torch.int64)",
                                jax="out = jnp.logspace(0.5, 2.5, 3, dtype=jnp.int32)", min_diff=2.0),),
        sig="start, end, steps, base=10.0, *, out=None, dtype=None, layout=torch.strided, device=None, "
            "requires_grad=False",
        template="jnp.logspace({start}, {end}, {steps}, base={base?}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.eye",
        jax="jax.numpy.eye",
        torch_example="out = torch.eye(n, m)",
        jax_example="out = jnp.eye(n, m)",
        inputs=(Choice("n", (0, 1, 4)), Choice("m", (0, 2, 5))),
        checks=("forward", "jit"),
        notes=(DEVICE_NOTE,),
        sig="n, m=None, *, out=None, dtype=None, layout=torch.strided, device=None, requires_grad=False",
        template="jnp.eye({n}, {m?}, dtype={dtype?})",
        values={"dtype": DTYPES},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.tril",
        jax="jax.numpy.tril",
        torch_example="out = torch.tril(x, diagonal=k)",
        jax_example="out = jnp.tril(x, k=k)",
        inputs=(T("x", "B,N,M"), Choice("k", (-1, 0, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Both act on the last two axes (batched).",),
        sig="input, diagonal=0, *, out=None",
        rename={"diagonal": "k"},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.triu",
        jax="jax.numpy.triu",
        torch_example="out = torch.triu(x, diagonal=k)",
        jax_example="out = jnp.triu(x, k=k)",
        inputs=(T("x", "B,N,M"), Choice("k", (-1, 0, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("Both act on the last two axes (batched).",),
        sig="input, diagonal=0, *, out=None",
        rename={"diagonal": "k"},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.diag",
        jax="jax.numpy.diag",
        torch_example="out = torch.diag(x, diagonal=k)",
        jax_example="out = jnp.diag(x, k=k)",
        inputs=(T("x", "N"), Choice("k", (-1, 0, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("A vector gives a square matrix with it on diagonal k (this entry); a matrix gives its "
               "diagonal k (torch.diag[matrix]).",),
        sig="input, diagonal=0, *, out=None",
        rename={"diagonal": "k"},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.diag",
        variant="matrix",
        jax="jax.numpy.diag",
        torch_example="out = torch.diag(x, diagonal=k)",
        jax_example="out = jnp.diag(x, k=k)",
        inputs=(T("x", "N,M"), Choice("k", (-1, 0, 2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("On a matrix both return diagonal k as a vector (empty when k is out of range).",),
        sig="input, diagonal=0, *, out=None",
        rename={"diagonal": "k"},
        unsupported_args=UNSUPPORTED,
    ),
    Record(
        torch="torch.meshgrid",
        jax="jax.numpy.meshgrid",
        torch_example="out = torch.meshgrid(a, b)",
        jax_example="out = jnp.meshgrid(a, b, indexing='ij')",
        inputs=(T("a", "N"), T("b", "M")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 4),
        notes=("torch.meshgrid defaults to indexing='ij' (with a warning); jnp.meshgrid to 'xy' "
               "(swaps the first two output axes). The rewrite passes indexing='ij' when the call "
               "omits it; indexing='xy' maps to itself.",),
        differences=(
            Difference(
                note="torch.meshgrid defaults to indexing='ij', jnp.meshgrid to 'xy' (transposed grids)",
                torch="out = torch.meshgrid(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([4.0, 5.0, 6.0]))",
                jax="out = jnp.meshgrid(jnp.array([1.0, 2.0, 3.0]), jnp.array([4.0, 5.0, 6.0]))",
                min_diff=2.0,
            ),
        ),
        sig="*tensors, indexing=None",
        template="jnp.meshgrid(*{tensors}, indexing={indexing})",
        values={"indexing": {"None": "'ij'", "'ij'": "'ij'", "'xy'": "'xy'"}},
    ),
]
