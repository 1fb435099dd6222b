"""Windows, STFT, complex views, sparse tensors, distances, set membership and dtype limits.

Complex results are compared through their real and imaginary parts (both differentiable).
"""

from mapping.record import Choice, Difference, Record, T, Tol

_DTYPES = {"torch.float32": "jnp.float32", "torch.float": "jnp.float32", "torch.float16": "jnp.float16",
           "torch.half": "jnp.float16", "torch.bfloat16": "jnp.bfloat16", "torch.float64": "jnp.float64",
           "torch.double": "jnp.float64"}
_INTS = {"torch.int8": "jnp.int8", "torch.int16": "jnp.int16", "torch.int32": "jnp.int32", "torch.int": "jnp.int32",
         "torch.int64": "jnp.int64", "torch.long": "jnp.int64", "torch.uint8": "jnp.uint8"}
_WINDOW = Tol(1e-6, 1e-6, "cosine terms: torch and numpy evaluate cos(2 pi n / N) with different roundings")
_NO_DEVICE = {"dtype": "cast the result: .astype(dtype)", "layout": "JAX arrays are dense",
              "device": "JAX places arrays itself (jax.device_put)", "requires_grad": "JAX differentiates functions"}


def _window(name: str, np_name: str, notes: tuple = (), extra: str = "", jextra: str = "") -> Record:
    """torch.<name>_window(N) (periodic) -> jnp.<np_name>(N + 1)[:-1]."""
    return Record(
        torch=f"torch.{name}_window",
        jax=f"jax.numpy.{np_name}",
        status="caveat",
        torch_example=f"out = torch.{name}_window(n{extra})",
        jax_example=f"out = jnp.{np_name}(n + 1{jextra})[:-1]",
        inputs=(Choice("n", (2, 5, 8, 64)),),
        checks=("forward", "jit"),
        tol=_WINDOW,
        notes=("torch's windows are periodic by default (for spectral analysis): the symmetric window of "
               "length N + 1 without its last point. periodic=False is jnp." + np_name + "(N).",
               "Length 1: torch returns [1.], this rewrite [0.] (see the difference).", *notes),
        differences=(Difference(note=f"{name}_window(1): torch returns [1.], jnp.{np_name}(2)[:-1] returns [0.]",
                                torch=f"out = torch.{name}_window(1{extra})",
                                jax=f"out = jnp.{np_name}(2{jextra})[:-1]", min_diff=0.9),),
        sig=f"window_length, periodic=True, {'beta=12.0, ' if name == 'kaiser' else ''}*, dtype=None, "
            "layout=torch.strided, device=None, requires_grad=False",
        template=f"jnp.{np_name}({{window_length}} + 1{', {beta}' if name == 'kaiser' else ''})[:-1]",
        unsupported_args={"periodic": f"periodic=False is jnp.{np_name}(window_length)", **_NO_DEVICE},
    )


RECORDS = [
    _window("hann", "hanning"),
    _window("hamming", "hamming"),
    _window("blackman", "blackman"),
    _window("bartlett", "bartlett"),
    _window("kaiser", "kaiser", extra=", True, 12.0", jextra=", 12.0",
            notes=("beta=12.0 is torch's default; jnp.kaiser takes beta as its second argument.",)),
    Record(
        torch="torch.stft",
        jax="jax.numpy.fft.rfft over framed windows",
        status="manual",
        aliases=("torch.Tensor.stft",),
        torch_example=(
            "s = torch.stft(x, n_fft=8, hop_length=2, window=torch.hann_window(8), return_complex=True)\n"
            "out = (s.real, s.imag)"
        ),
        jax_example=(
            "n_fft, hop = 8, 2\n"
            "window = 0.5 - 0.5 * jnp.cos(2 * jnp.pi * jnp.arange(n_fft) / n_fft)\n"
            "xp = jnp.pad(x, (n_fft // 2, n_fft // 2), mode='reflect')  # center=True\n"
            "frames = jnp.arange(n_fft)[None, :] + hop * jnp.arange(1 + (xp.shape[-1] - n_fft) // hop)[:, None]\n"
            "s = jnp.fft.rfft(xp[frames] * window, axis=-1).T  # (freq, frame) like torch\n"
            "out = (s.real, s.imag)"
        ),
        inputs=(T("x", "L"),),
        sizes=(8, 20),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "FFT of float32 frames: pocketfft and XLA's FFT round differently"),
        grad_tol=Tol(1e-5, 1e-5, "FFT of float32 frames: pocketfft and XLA's FFT round differently"),
        notes=("jax.scipy.signal.stft is scipy's convention (scaled by the window sum, zero padding, "
               "boundary handling of its own): not torch's. The explicit framing above reproduces torch.stft "
               "with center=True, pad_mode='reflect', onesided=True, normalized=False.",),
        reason="there is no torch-compatible stft in JAX: frame the padded signal, multiply by the window "
               "and take jnp.fft.rfft (as above)",
    ),
    Record(
        torch="torch.view_as_complex",
        jax="jax.lax.complex",
        torch_example="c = torch.view_as_complex(x)\nout = (c.real, c.imag)",
        jax_example="c = lax.complex(x[..., 0], x[..., 1])\nout = (c.real, c.imag)",
        inputs=(T("x", "N,2", contiguous=True),),
        checks=("forward", "jit", "grad"),
        notes=("torch returns a view sharing x's memory; JAX a new array.",),
        sig="input",
        template="lax.complex({input}[..., 0], {input}[..., 1])",
    ),
    Record(
        torch="torch.complex",
        jax="jax.lax.complex",
        torch_example="c = torch.complex(a, b)\nout = (c.real, c.imag)",
        jax_example="c = lax.complex(a, b)\nout = (c.real, c.imag)",
        inputs=(T("a", "N,C"), T("b", "N,C")),
        checks=("forward", "jit", "grad"),
        sig="real, imag, *, out=None",
        template="lax.complex({real}, {imag})",
        unsupported_args={"out": "JAX returns a new array"},
    ),
    Record(
        torch="torch.view_as_real",
        jax="jax.numpy.stack",
        torch_example="c = torch.complex(a, b)\nout = torch.view_as_real(c)",
        jax_example="c = lax.complex(a, b)\nout = jnp.stack([c.real, c.imag], axis=-1)",
        inputs=(T("a", "N,C"), T("b", "N,C")),
        checks=("forward", "jit", "grad"),
        notes=("torch returns a view sharing the complex tensor's memory; JAX a new array.",),
        sig="input",
        template="jnp.stack([{input}.real, {input}.imag], axis=-1)",
    ),
    Record(
        torch="torch.polar",
        jax="jax.lax.complex",
        torch_example="c = torch.polar(r, theta)\nout = (c.real, c.imag)",
        jax_example="c = lax.complex(r * jnp.cos(theta), r * jnp.sin(theta))\nout = (c.real, c.imag)",
        inputs=(T("r", "N,C", low=0.125, high=3), T("theta", "N,C", low=-4, high=4)),
        checks=("forward", "jit", "grad"),
        notes=("At abs = 0 torch's gradient with respect to abs is 0, the product rule's is cos / sin of the "
               "angle (see the difference): checked for abs > 0.",),
        differences=(Difference(
            note="gradient of polar with respect to abs at abs = 0: torch 0, lax.complex(r cos, r sin) cos(angle)",
            torch="r = torch.zeros(1, requires_grad=True)\ntorch.polar(r, torch.zeros(1)).real.sum().backward()\n"
                  "out = r.grad",
            jax="out = jax.grad(lambda r: lax.complex(r * jnp.cos(0.0), r * jnp.sin(0.0)).real.sum())(jnp.zeros(1))",
            min_diff=0.5),),
        sig="abs, angle, *, out=None",
        template="lax.complex({abs} * jnp.cos({angle}), {abs} * jnp.sin({angle}))",
        unsupported_args={"out": "JAX returns a new array"},
    ),
    Record(
        torch="torch.sparse_coo_tensor",
        jax="jax.experimental.sparse.BCOO",
        status="manual",
        torch_example="s = torch.sparse_coo_tensor(idx, v, (4, 5))\nout = s.to_dense()",
        jax_example=(
            "from jax.experimental import sparse\n"
            "s = sparse.BCOO((v, idx.T), shape=(4, 5))\n"
            "out = s.todense()"
        ),
        inputs=(T("idx", "2,K", dtype="int64", low=0, high=4), T("v", "K")),
        checks=("forward", "jit", "grad"),
        notes=("BCOO stores indices as [nse, ndim] (torch: [ndim, nse]): pass idx.T. Repeated indices are "
               "summed by todense(), as by torch's coalesce.",
               "Most JAX code keeps arrays dense: XLA has no sparse kernels on most backends, and BCOO "
               "matmuls lower to gathers and scatters."),
        reason="sparse arrays live in jax.experimental.sparse (BCOO), with methods of their own "
               "(todense, @); dense arrays are usually the better JAX choice",
    ),
    Record(
        torch="torch.sparse.mm",
        jax="jax.experimental.sparse.BCOO @ dense",
        status="manual",
        aliases=("torch.spmm", "torch.sparse.spmm"),
        torch_example="s = torch.sparse_coo_tensor(idx, v, (4, 5))\nout = torch.sparse.mm(s, d)",
        jax_example=(
            "from jax.experimental import sparse\n"
            "s = sparse.BCOO((v, idx.T), shape=(4, 5))\n"
            "out = s @ d"
        ),
        inputs=(T("idx", "2,K", dtype="int64", low=0, high=4), T("v", "K"), T("d", "5,M")),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 1e-5, "float32 sums of products in a different order"),
        notes=("torch.spmm(s, d) and torch.sparse.mm(s, d) are the same product; the result is dense in both.",),
        reason="a sparse-dense product is BCOO @ dense in jax.experimental.sparse (or a dense matmul)",
    ),
    Record(
        torch="torch.cdist",
        jax="jax.numpy (broadcast differences)",
        status="caveat",
        torch_example="out = torch.cdist(a, b)",
        jax_example="out = jnp.sqrt(jnp.sum((a[..., :, None, :] - b[..., None, :, :]) ** 2, axis=-1))",
        inputs=(T("a", "N,D", low=-3, high=0), T("b", "M,D", low=0.5, high=3)),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "sums of squared differences in a different order"),
        notes=("Equal for up to 25 rows on each side, where torch computes the differences directly. With more "
               "rows, torch's default compute_mode uses ||a||^2 + ||b||^2 - 2 a.b, which cancels for close "
               "points (errors around 1e-3 for distances near 0): pass "
               "compute_mode='donot_use_mm_for_euclid_dist' to torch when comparing.",
               "The gradient at distance 0 is 0 in torch and nan here (sqrt at 0): checked on inputs at distance "
               ">= 0.5 (see the difference)."),
        differences=(Difference(
            note="gradient of cdist at distance 0: torch 0, sqrt of a sum of squares nan",
            torch="a = torch.zeros(1, 2, requires_grad=True)\ntorch.cdist(a, torch.zeros(1, 2)).sum().backward()\n"
                  "out = a.grad.isnan().float()  # 0: the gradient is 0",
            jax="g = jax.grad(lambda a: jnp.sqrt(jnp.sum((a[:, None, :] - jnp.zeros((1, 2))[None, :, :]) ** 2, "
                "axis=-1)).sum())(jnp.zeros((1, 2)))\nout = jnp.isnan(g).astype(jnp.float32)  # 1: nan",
            min_diff=1.0),),
        sig="x1, x2, p=2.0, compute_mode='use_mm_for_euclid_dist_if_necessary'",
        template="jnp.sqrt(jnp.sum(({x1}[..., :, None, :] - {x2}[..., None, :, :]) ** 2, axis=-1))",
        unsupported_args={"p": "other norms: jnp.linalg.norm(x1[..., :, None, :] - x2[..., None, :, :], ord=p, "
                               "axis=-1)",
                          "compute_mode": "the direct difference is computed; see notes"},
    ),
    Record(
        torch="torch.isin",
        jax="jax.numpy.isin",
        torch_example="out = (torch.isin(a, b), torch.isin(a, b, invert=True))",
        jax_example="out = (jnp.isin(a, b), jnp.isin(a, b, invert=True))",
        inputs=(T("a", "N,C", dtype="int64", low=0, high=6), T("b", "K", dtype="int64", low=0, high=6)),
        checks=("forward", "jit"),
        sizes=(0, 4),
        sig="elements, test_elements, *, assume_unique=False, invert=False",
        template="jnp.isin({elements}, {test_elements}, assume_unique={assume_unique?}, invert={invert?})",
    ),
    Record(
        torch="torch.finfo",
        jax="jax.numpy.finfo",
        torch_example=(
            "f32, bf16 = torch.finfo(torch.float32), torch.finfo(torch.bfloat16)\n"
            "out = (f32.eps, f32.max, f32.min, f32.tiny, bf16.eps, bf16.max, f32.bits)"
        ),
        jax_example=(
            "f32, bf16 = jnp.finfo(jnp.float32), jnp.finfo(jnp.bfloat16)\n"
            "out = (f32.eps, f32.max, f32.min, f32.tiny, bf16.eps, bf16.max, f32.bits)"
        ),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.0, "the same IEEE constants"),
        notes=("torch gives Python floats, jnp.finfo numpy scalars of the dtype; the values are equal. "
               "torch.finfo() without a dtype means the default float32.",),
        sig="type=None",
        template="jnp.finfo({type})",
        values={"type": {**_DTYPES, "None": "jnp.float32"}},
    ),
    Record(
        torch="torch.iinfo",
        jax="jax.numpy.iinfo",
        torch_example=(
            "i32, u8 = torch.iinfo(torch.int32), torch.iinfo(torch.uint8)\n"
            "out = (i32.max, i32.min, u8.max, u8.min, i32.bits)"
        ),
        jax_example=(
            "i32, u8 = jnp.iinfo(jnp.int32), jnp.iinfo(jnp.uint8)\n"
            "out = (i32.max, i32.min, u8.max, u8.min, i32.bits)"
        ),
        checks=("forward", "jit"),
        notes=("jnp.iinfo(jnp.int64) answers even without x64, but int64 arrays need x64.",),
        sig="type",
        template="jnp.iinfo({type})",
        values={"type": _INTS},
    ),
]
