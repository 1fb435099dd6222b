"""`torch.linalg` -> `jax.numpy.linalg` / `jax.scipy.linalg`.

Inputs are well-conditioned (`diag=4.0` adds 4, 8, 12, ... to the diagonal of small entries), so
eigen and singular values are well separated and the comparison measures the mapping, not the
conditioning. Decompositions whose factors are defined only up to sign (QR, SVD, eigh) are compared
through sign-free quantities: eigen / singular values and products such as q_k q_k^T, u_k v_k^T.
"""

from mapping.record import Choice, Difference, Dim, Record, T, Tol

_OUT = {"out": "JAX arrays are immutable: assign the result instead"}
_INF = float("inf")

# Square, batched, well-conditioned; tall (4 x N, N <= 4) for QR / SVD / least squares.
_A = T("a", "B,N,N", low=-0.25, high=0.25, diag=4.0)
_TALL = T("a", "B,4,N", low=-0.25, high=0.25, diag=4.0)

# Eigenvalues and determinants come out of different routines (LAPACK in torch, XLA's own in JAX):
# measured up to 7.3e-7 relative in float32 (about 6 ulp), too close to the default rtol of 1e-6.
_ALGO = Tol(3e-6, 1e-6, "different algorithm: LAPACK (torch) vs XLA's eigen / LU routines in float32; "
            "measured up to 7.3e-7 relative")
_SIGN = ("Factors are unique only up to the sign of each column (and row of the other factor): LAPACK "
         "and XLA may pick different signs. The test compares sign-free quantities; code that "
         "depends on the signs (e.g. comparing factors across frameworks) must fix a convention.",)

# Sign-free views of the factors: q_k q_k^T per column of q, r_k^T r_k per row of r.
_QR_OUT = "out = (q[..., :, None, :] * q[..., None, :, :], r[..., :, :, None] * r[..., :, None, :])"

RECORDS = [
    Record(
        torch="torch.linalg.norm",
        jax="jax.numpy.linalg.norm",
        torch_example="out = torch.linalg.norm(x, ord=o, dim=d, keepdim=k)",
        jax_example="out = jnp.linalg.norm(x, ord=o, axis=d, keepdims=k)",
        inputs=(T("x", "*", min_rank=1, unique=True, nonzero=True), Choice("o", (None, 1, 2, 3, _INF, -_INF)),
                Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 4),
        notes=("With dim=None and ord=None both take the 2-norm of the flattened input; a 2-tuple dim "
               "(or a 2-D input with ord set) selects matrix norms in both.",
               "At x = 0 the 2-norm has no derivative: torch returns a 0 gradient, JAX NaN; with ord=1 the "
               "gradient at a zero entry is 0 in torch and +-1 in JAX (d|x|/dx at 0). Checked on nonzero "
               "entries."),
        differences=(
            Difference(
                note="gradient of the 2-norm of an all-zero vector: torch 0, JAX NaN",
                torch="x = torch.zeros(3, requires_grad=True)\ntorch.linalg.norm(x).backward()\n"
                      "out = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.linalg.norm(x))(jnp.zeros(3)), nan=7.0)",
                min_diff=7.0,
            ),
        ),
        sig="input, ord=None, dim=None, keepdim=False, *, out=None, dtype=None",  # torch: norm(A=...) raises
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args={**_OUT, "dtype": "cast the input first: x.astype(dtype)"},
    ),
    Record(
        torch="torch.linalg.vector_norm",
        jax="jax.numpy.linalg.vector_norm",
        torch_example="out = torch.linalg.vector_norm(x, ord=o, dim=d, keepdim=k)",
        jax_example="out = jnp.linalg.vector_norm(x, ord=o, axis=d, keepdims=k)",
        inputs=(T("x", "*", min_rank=1, unique=True, nonzero=True), Choice("o", (2, 1, 3.5, _INF, -_INF, 0)),
                Dim("d", "x"), Choice("k", (False, True))),
        status="caveat",
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 4),
        notes=("dim=None (the default) flattens in both; ord=0 counts the nonzero entries.",
               "The gradient differs at zeros: for an all-zero slice torch gives 0 and JAX NaN; with ord=1 "
               "at a zero entry torch gives 0 and JAX the cotangent times sign 1 (d|x|/dx at 0). Checked "
               "on nonzero entries."),
        differences=(
            Difference(
                note="gradient of the 2-norm of an all-zero vector: torch 0, JAX NaN",
                torch="x = torch.zeros(3, requires_grad=True)\ntorch.linalg.vector_norm(x).backward()\n"
                      "out = x.grad",
                jax="out = jnp.nan_to_num(jax.grad(lambda x: jnp.linalg.vector_norm(x))(jnp.zeros(3)), nan=7.0)",
                min_diff=7.0,
            ),
            Difference(
                note="gradient of the 1-norm at a zero entry: torch 0, JAX 1",
                torch="x = torch.tensor([0.0, -2.0], requires_grad=True)\n"
                      "torch.linalg.vector_norm(x, ord=1).backward()\nout = x.grad",
                jax="out = jax.grad(lambda x: jnp.linalg.vector_norm(x, ord=1))(jnp.array([0.0, -2.0]))",
                min_diff=1.0,
            ),
        ),
        sig="x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None",
        rename={"dim": "axis", "keepdim": "keepdims"},
        unsupported_args={**_OUT, "dtype": "cast the input first: x.astype(dtype)"},
    ),
    Record(
        torch="torch.linalg.matrix_norm",
        jax="jax.numpy.linalg.matrix_norm",
        torch_example="out = torch.linalg.matrix_norm(a, ord=o, keepdim=k)",
        jax_example="out = jnp.linalg.matrix_norm(a, ord=o, keepdims=k)",
        # nonzero: at a zero entry the gradient of the 1 / inf norms differs (see the difference)
        inputs=(T("a", "B,N,N", low=-0.25, high=0.25, diag=4.0, nonzero=True),
                Choice("o", ("fro", "nuc", 1, -1, 2, -2, _INF, -_INF)), Choice("k", (False, True))),
        status="caveat",
        checks=("forward", "jit", "grad"),
        notes=("jnp.linalg.matrix_norm always uses the last two axes: for another dim, move the axes "
               "first (jnp.moveaxis) or use jnp.linalg.norm(x, ord, axis=dim).",
               "ord=2, -2 and 'nuc' go through an SVD in both.",
               "ord=1, -1, inf, -inf sum |a|: at an entry exactly 0 torch's gradient is 0 and JAX's is the "
               "cotangent (JAX takes d|x|/dx = 1 at 0), as for torch.abs; checked on nonzero entries."),
        differences=(
            Difference(
                note="gradient of the 1-norm at a zero entry: torch 0, JAX 1",
                torch="a = torch.tensor([[2.0, 0.0], [0.0, 1.0]], requires_grad=True)\n"
                      "torch.linalg.matrix_norm(a, ord=1).backward()\nout = a.grad",
                jax="out = jax.grad(lambda a: jnp.linalg.matrix_norm(a, ord=1))(jnp.array([[2.0, 0.0], [0.0, 1.0]]))",
                min_diff=1.0,
            ),
        ),
        sig="input, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None, out=None",
        rename={"keepdim": "keepdims"},
        unsupported_args={**_OUT, "dtype": "cast the input first: x.astype(dtype)",
                          "dim": "jnp.linalg.matrix_norm uses the last two axes: jnp.moveaxis first"},
    ),
    Record(
        torch="torch.linalg.inv",
        jax="jax.numpy.linalg.inv",
        aliases=("torch.inverse",),
        torch_example="out = torch.linalg.inv(a)",
        jax_example="out = jnp.linalg.inv(a)",
        inputs=(_A,),
        checks=("forward", "jit", "grad"),
        notes=("A singular matrix raises in torch; JAX returns inf / NaN entries without an error.",),
        sig="A, *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.solve",
        jax="jax.numpy.linalg.solve",
        status="caveat",
        torch_example="out = torch.linalg.solve(a, b)",
        jax_example="out = (jnp.linalg.solve(a, b[..., None])[..., 0] if b.ndim == a.ndim - 1 else "
                    "jnp.linalg.solve(a, b))",
        inputs=(_A, T("b", "B,N,K")),
        checks=("forward", "jit", "grad"),
        notes=("Equal for a matrix right-hand side (..., n, k) and for a single vector b of shape (n,). "
               "torch also treats b of shape (..., n) as a batch of vectors when b.ndim == A.ndim - 1; "
               "jnp.linalg.solve raises there (since JAX 0.5), or for empty matrices returns shape (0, 0, 0) "
               "for torch's (0, 0): the rewrite solves b[..., None] and drops that axis in that case.",),
        sig="A, B, *, left=True, out=None",
        template="(jnp.linalg.solve({A}, {B}[..., None])[..., 0] if {B}.ndim == {A}.ndim - 1 else "
                 "jnp.linalg.solve({A}, {B}))",
        unsupported_args={**_OUT, "left": "left=False solves XA = B: jnp.linalg.solve(A.mT, B.mT).mT"},
    ),
    Record(
        torch="torch.linalg.solve_triangular",
        jax="jax.scipy.linalg.solve_triangular",
        torch_example="out = torch.linalg.solve_triangular(a, b, upper=True)",
        jax_example="out = jax.scipy.linalg.solve_triangular(a, b, lower=False, unit_diagonal=False)",
        inputs=(_A, T("b", "B,N,K")),
        checks=("forward", "jit", "grad"),
        notes=("Both read only the triangle named by upper / lower and ignore the other one.",),
        sig="input, B, *, upper, left=True, unitriangular=False, out=None",  # torch's names
        template="jax.scipy.linalg.solve_triangular({input}, {B}, lower={upper}, unit_diagonal={unitriangular})",
        values={"upper": {"True": "False", "False": "True"}},
        unsupported_args={**_OUT, "left": "left=False solves XA = B: transpose both sides (trans=1)"},
    ),
    Record(
        torch="torch.linalg.det",
        jax="jax.numpy.linalg.det",
        aliases=("torch.det",),
        torch_example="out = torch.linalg.det(a)",
        jax_example="out = jnp.linalg.det(a)",
        inputs=(_A,),
        checks=("forward", "jit", "grad"),
        tol=_ALGO,
        sig="A, *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.slogdet",
        jax="jax.numpy.linalg.slogdet",
        aliases=("torch.slogdet",),
        torch_example="out = torch.linalg.slogdet(-a)",
        jax_example="out = jnp.linalg.slogdet(-a)",
        inputs=(_A,),
        checks=("forward", "jit", "grad"),
        notes=("Both return (sign, logabsdet); the negated input makes the sign (-1)^n.",),
        sig="A, *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.cholesky",
        jax="jax.numpy.linalg.cholesky",
        torch_example="out = torch.linalg.cholesky(a @ a.mT)",
        jax_example="out = jnp.linalg.cholesky(a @ a.mT)",
        inputs=(_A,),
        status="caveat",
        checks=("forward", "jit", "grad"),
        notes=("For a symmetric input both agree, gradients included (both return a symmetric gradient).",
               "torch reads only the lower triangle; jnp.linalg.cholesky first averages A and A^T "
               "(symmetrize_input=True). A not-quite-symmetric input gives different factors.",
               "A matrix that is not positive definite raises in torch; JAX returns NaNs."),
        differences=(
            Difference(
                note="a non-symmetric input: torch uses its lower triangle, JAX the average of A and A^T",
                torch="out = torch.linalg.cholesky(torch.tensor([[4.0, 2.0], [0.0, 3.0]]))",
                jax="out = jnp.linalg.cholesky(jnp.array([[4.0, 2.0], [0.0, 3.0]]))",
                min_diff=0.3,
            ),
        ),
        sig="input, *, upper=False, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.qr",
        jax="jax.numpy.linalg.qr",
        status="caveat",
        torch_example="q, r = torch.linalg.qr(a)\n" + _QR_OUT,
        jax_example="q, r = jnp.linalg.qr(a)\n" + _QR_OUT,
        inputs=(_TALL,),
        checks=("forward", "jit", "grad"),
        notes=_SIGN + ("Compared: q_k q_k^T for each column of q and r_k^T r_k for each row of r, which "
                       "do not depend on the signs (values and gradients).",
                       "mode='reduced' is the default in both; 'complete' and 'r' exist in both."),
        sig="A, mode='reduced', *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.svd",
        jax="jax.numpy.linalg.svd",
        status="caveat",
        torch_example=(
            "u, s, vh = torch.linalg.svd(a, full_matrices=False)\n"
            "k = s.shape[-1]\n"
            "out = (s, u[..., :, None, :k] * vh.mT[..., None, :, :k])"
        ),
        jax_example=(
            "u, s, vh = jnp.linalg.svd(a, full_matrices=False)\n"
            "k = s.shape[-1]\n"
            "out = (s, u[..., :, None, :k] * vh.mT[..., None, :, :k])"
        ),
        inputs=(_TALL,),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-6, 5e-6, "LAPACK (torch) vs XLA's SVD in float32: singular vector components carry about "
                "eps * ||A|| / gap; on PyTorch's OpInfo 5 x 5 inputs (singular values 1.5, 1.25, 1.167, 0.8, "
                "0.667: gap 0.083) torch is up to 3.3e-6 from float64, JAX 2.5e-6, the two 2.2e-6 apart"),
        grad_tol=Tol(1e-5, 8e-5, "the SVD's backward divides by s_i^2 - s_j^2 (0.20 on PyTorch's OpInfo 5 x 5 "
                     "inputs): torch is up to 7.2e-5 from float64, JAX 4.3e-5, the two 3.9e-5 apart "
                     "(gradient entries up to 15)"),
        notes=_SIGN + ("Compared: singular values and u_k v_k^T for each k < min(m, n), which does not depend "
                       "on the signs (the singular values are distinct, so nothing else is ambiguous), nor on the "
                       "extra columns full_matrices=True adds.",
                       "full_matrices=True is the default in both; torch has no gradient for the extra "
                       "columns of a non-square full U, and JAX has none at all through a non-square "
                       "full_matrices=True SVD (NotImplementedError): pass full_matrices=False where the SVD "
                       "is differentiated."),
        sig="A, full_matrices=True, *, driver=None, out=None",
        unsupported_args={**_OUT, "driver": "CUDA-only in torch; JAX picks its own algorithm"},
    ),
    Record(
        torch="torch.linalg.svdvals",
        jax="jax.numpy.linalg.svdvals",
        torch_example="out = torch.linalg.svdvals(a)",
        jax_example="out = jnp.linalg.svdvals(a)",
        inputs=(_TALL,),
        checks=("forward", "jit", "grad"),
        sig="A, *, driver=None, out=None",
        unsupported_args={**_OUT, "driver": "CUDA-only in torch; JAX picks its own algorithm"},
    ),
    Record(
        torch="torch.linalg.eigh",
        jax="jax.numpy.linalg.eigh",
        status="caveat",
        torch_example="w, v = torch.linalg.eigh(a + a.mT)\nout = (w, v[..., :, None, :] * v[..., None, :, :])",
        jax_example="w, v = jnp.linalg.eigh(a + a.mT)\nout = (w, v[..., :, None, :] * v[..., None, :, :])",
        inputs=(_A,),
        checks=("forward", "jit", "grad"),
        tol=Tol(3e-6, 4e-6, "LAPACK vs XLA eigensolvers in float32: eigenvector components carry about "
                "eps * ||A|| / gap (4 ulp of 1 here, ||A|| <= 32, gaps >= 8); measured 1.55e-6 on a "
                "projector entry"),
        notes=_SIGN + ("Compared: eigenvalues (ascending in both) and the projector v_k v_k^T on each "
                       "eigenvector, which does not depend on the sign; the eigenvalues are well separated.",
                       "torch reads only the lower triangle (UPLO='L'); jnp.linalg.eigh averages A and "
                       "A^T first (symmetrize_input=True). symmetrize_input=False reads one triangle "
                       "eagerly, but under jax.grad / jax.jvp the primal is still computed from the "
                       "symmetrised input (measured): keep inputs symmetric."),
        differences=(
            Difference(
                note="a non-symmetric input: torch uses its lower triangle, JAX the average of A and A^T",
                torch="out = torch.linalg.eigh(torch.tensor([[2.0, 1.0], [0.0, 2.0]])).eigenvalues",
                jax="out = jnp.linalg.eigh(jnp.array([[2.0, 1.0], [0.0, 2.0]])).eigenvalues",
                min_diff=0.4,
            ),
        ),
        sig="input, UPLO='L', *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.eigvalsh",
        jax="jax.numpy.linalg.eigvalsh",
        torch_example="out = torch.linalg.eigvalsh(a + a.mT)",
        jax_example="out = jnp.linalg.eigvalsh(a + a.mT)",
        inputs=(_A,),
        status="caveat",
        checks=("forward", "jit", "grad"),
        tol=_ALGO,
        notes=("For symmetric inputs. torch reads only the lower triangle; jnp.linalg.eigvalsh averages "
               "A and A^T (symmetrize_input=True).",),
        differences=(
            Difference(
                note="a non-symmetric input: torch uses its lower triangle, JAX the average of A and A^T",
                torch="out = torch.linalg.eigvalsh(torch.tensor([[2.0, 1.0], [0.0, 2.0]]))",
                jax="out = jnp.linalg.eigvalsh(jnp.array([[2.0, 1.0], [0.0, 2.0]]))",
                min_diff=0.4,
            ),
        ),
        sig="input, UPLO='L', *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.pinv",
        jax="jax.numpy.linalg.pinv",
        torch_example="out = torch.linalg.pinv(a)",
        jax_example="out = jnp.linalg.pinv(a)",
        inputs=(_TALL,),
        checks=("forward", "jit", "grad"),
        status="caveat",
        notes=("Default cutoff for small singular values: torch max(m, n) * eps * s_max, JAX "
               "10 * max(m, n) * eps * s_max. Nearly rank-deficient inputs differ: pass rtol "
               "explicitly to get the same result.",
               "hermitian=True on a matrix that is not Hermitian: torch reads its lower triangle, "
               "jnp.linalg.pinv uses the whole matrix (found by PyTorch's OpInfo inputs).",),
        differences=(
            Difference(
                note="singular value 1e-6 * s_max: torch inverts it, jnp.linalg.pinv's 10x larger cutoff drops it",
                torch="out = torch.linalg.pinv(torch.diag(torch.tensor([1.0, 1e-6])))",
                jax="out = jnp.linalg.pinv(jnp.diag(jnp.array([1.0, 1e-6])))",
                min_diff=1e5,
            ),
            Difference(
                note="hermitian=True on [[2, 1], [0, 2]]: torch inverts its lower triangle, JAX the whole matrix",
                torch="out = torch.linalg.pinv(torch.tensor([[2.0, 1.0], [0.0, 2.0]]), hermitian=True)",
                jax="out = jnp.linalg.pinv(jnp.array([[2.0, 1.0], [0.0, 2.0]]), hermitian=True)",
                min_diff=0.1,
            ),
        ),
        sig="input, *, atol=None, rtol=None, hermitian=False, out=None",
        unsupported_args={**_OUT, "atol": "jnp.linalg.pinv has only rtol: compute a relative cutoff"},
    ),
    Record(
        torch="torch.linalg.lstsq",
        jax="jax.numpy.linalg.lstsq",
        status="caveat",
        torch_example="out = torch.linalg.lstsq(a, b)[0]",
        jax_example="out = jnp.linalg.lstsq(a, b, rcond=None)[0]",
        inputs=(T("a", "4,N", low=-0.25, high=0.25, diag=4.0), T("b", "4,K")),
        checks=("forward", "jit", "grad"),
        notes=("Equal solutions for a full-rank 2-D A. jnp.linalg.lstsq takes 2-D A only; torch "
               "batches: use jax.vmap(jnp.linalg.lstsq) for a batch.",
               "The other outputs differ: torch's default CPU driver 'gelsy' returns empty residuals and "
               "singular values; JAX (SVD-based) returns them. Use the solution, element [0].",
               "Both zero singular values below rcond * s_max (default eps * max(m, n))."),
        sig="input, b, rcond=None, *, driver=None",  # torch's names: lstsq(A=, B=) raises
        template="jnp.linalg.lstsq({input}, {b}, rcond={rcond})",
        unsupported_args={"driver": "JAX has one SVD-based algorithm"},
    ),
    Record(
        torch="torch.linalg.cross",
        jax="jax.numpy.linalg.cross",
        torch_example="out = torch.linalg.cross(x, y, dim=d)",
        jax_example="out = jnp.linalg.cross(x, y, axis=d)",
        inputs=(T("x", "N,3,C"), T("y", "N,3,C"), Choice("d", (1, -2))),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(0, 3),
        notes=("torch.cross (outside linalg) without dim uses the first dimension of size 3 "
               "(deprecated); jnp.cross, like torch.linalg.cross, uses the last axis: pass the axis.",),
        differences=(
            Difference(
                note="torch.cross without dim on a 3x3 input works along dim 0, jnp.cross along the last axis",
                torch="x = torch.arange(9.0).reshape(3, 3)\nout = torch.cross(x, x.flip(0))",
                jax="x = jnp.arange(9.0).reshape(3, 3)\nout = jnp.cross(x, jnp.flip(x, 0))",
                min_diff=1.0,
            ),
        ),
        sig="input, other, *, dim=-1, out=None",
        template="jnp.linalg.cross({input}, {other}, axis={dim})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.vecdot",
        jax="jax.numpy.linalg.vecdot",
        torch_example="out = torch.linalg.vecdot(x, y, dim=d)",
        jax_example="out = jnp.linalg.vecdot(x, y, axis=d)",
        inputs=(T("x", "N,C,H"), T("y", "N,C,H"), Dim("d", "x")),
        checks=("forward", "jit", "grad", "bf16"),
        bf16_tol=Tol(2e-2, 0.125, "torch rounds each bfloat16 product and partial sum, JAX accumulates the dot "
                     "in float32: where terms cancel they differ by up to 2**-7 of sum |x*y| (measured 0.0078 "
                     "relative over 3000 draws; 0.125 absolute for up to 4 terms of |x*y| < 9); JAX is closer"),
        sizes=(0, 4),
        notes=("Complex inputs: both conjugate the first argument.",
               "In bfloat16 torch rounds every product and partial sum; JAX accumulates in float32, so results "
               "that cancel differ by up to one bfloat16 ulp of the largest term."),
        sig="x, y, *, dim=-1, out=None",
        template="jnp.linalg.vecdot({x}, {y}, axis={dim})",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.matrix_power",
        jax="jax.numpy.linalg.matrix_power",
        aliases=("torch.matrix_power",),
        torch_example="out = torch.linalg.matrix_power(a, k)",
        jax_example="out = jnp.linalg.matrix_power(a, n=k)",
        # eigenvalues near 0.4, 0.8, 1.2, 1.6 (off-diagonal entries within 1/16): A^5 and A^-2 stay
        # O(10), so float32 rounding of the gradient's sums stays within the default tolerance (with
        # _A's 4..16, A^5 reaches 1e5 and a small gradient entry carries 1e-3 of rounding)
        inputs=(T("a", "B,N,N", low=-0.0625, high=0.0625, diag=0.4), Choice("k", (-2, -1, 0, 1, 2, 3, 5))),
        checks=("forward", "jit", "grad"),
        notes=("Negative powers invert first in both; both use repeated squaring.",
               "High powers of a matrix with eigenvalues far from 1 amplify float32 rounding: gradient "
               "entries much smaller than the largest one differ by about 1e-8 of the largest (measured "
               "9.8e-4 on an entry of 1.33 for k=5 with eigenvalues 4, 8, 12)."),
        sig="input, n, *, out=None",
        unsupported_args=_OUT,
    ),
    Record(
        torch="torch.linalg.multi_dot",
        jax="jax.numpy.linalg.multi_dot",
        torch_example="out = torch.linalg.multi_dot([a, b, c])",
        jax_example="out = jnp.linalg.multi_dot([a, b, c])",
        inputs=(T("a", "N,K"), T("b", "K,M"), T("c", "M")),
        checks=("forward", "jit", "grad", "bf16"),
        sizes=(1, 4),
        notes=("Both choose the cheapest multiplication order; a 1-D first or last argument is a "
               "row / column vector in both.",),
        sig="tensors, *, out=None",
        unsupported_args=_OUT,
    ),
]
