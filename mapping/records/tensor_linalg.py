"""`torch.Tensor` linear-algebra methods -> `jax.numpy.linalg` / `jax.scipy.linalg` / `jax.lax.linalg`.

Where `torch.linalg` has the function's record, the method's record is built from it (its inputs, checks,
tolerances and differences), with the receiver as the first argument. The older factorizations that torch keeps
only as methods and deprecated functions (`x.qr(some=)`, `x.svd()` returning V, `x.lu()` with 1-based pivots,
`b.triangular_solve(A)`) get their own rewrite of the conventions that differ.
"""

import dataclasses

from mapping.record import Choice, Difference, Record, T, Tol
from mapping.records import linalg

_OUT = {"out": "JAX arrays are immutable: assign the result instead"}
_A = T("a", "B,N,N", low=-0.25, high=0.25, diag=4.0)  # well-conditioned, as in linalg.py
_TALL = T("a", "B,4,N", low=-0.25, high=0.25, diag=4.0)
_LAPACK = Tol(1e-5, 1e-5, "float32 factorizations: LAPACK (torch) and XLA (JAX) round in a different order")
_TUPLE = ("torch returns a namedtuple; the rewrite gives a plain tuple: unpack it or index it instead of using the "
          "named fields.",)


def _record(name: str) -> Record:
    return next(r for r in linalg.RECORDS if r.torch == name and not r.variant)


def _method(base: Record, name: str, torch_example: str, jax_example: str, sig: str, template: str,
            **changes) -> Record:
    """The method `torch.Tensor.<name>` from the record of its function: same proof, the receiver as input."""
    notes = (f"The method form of {base.torch}: the same computation with the tensor as its first argument.",
             *base.notes)
    fresh = dict(aliases=(), variant="", rename={}, values={}, unsupported_args={}, notes=notes)
    return dataclasses.replace(base, torch=f"torch.Tensor.{name}", torch_example=torch_example,
                               jax_example=jax_example, sig=sig, template=template, **{**fresh, **changes})


_CHOLESKY = _record("torch.linalg.cholesky")
_QR = _record("torch.linalg.qr")
_SVD = _record("torch.linalg.svd")
_TRIANGULAR = _record("torch.linalg.solve_triangular")

# Sign-free views of QR / SVD factors (as linalg.py compares them): q_k q_k^T, r_k^T r_k, u_k v_k^T.
_QR_OUT = "out = (q[..., :, None, :] * q[..., None, :, :], r[..., :, :, None] * r[..., :, None, :])"
_SVD_OUT = "out = (s, u[..., :, None, :] * v[..., None, :, :])"
_LU_DIFF = Difference(
    note="torch's LU pivots are 1-based (LAPACK's convention), jax.scipy.linalg.lu_factor's 0-based",
    torch="out = torch.linalg.lu_factor(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))[1]",
    jax="out = jax.scipy.linalg.lu_factor(jnp.array([[1.0, 2.0], [3.0, 4.0]]))[1]",
    min_diff=1.0,
)

RECORDS = [
    _method(_CHOLESKY, "cholesky", "s = a @ a.mT\nout = s.cholesky(upper=u)",
            "s = a @ a.mT\nout = jnp.linalg.cholesky(s, upper=u)",
            inputs=(_A, Choice("u", (False, True))),
            sig="upper=False", template="jnp.linalg.cholesky({self}, upper={upper})",
            notes=("Deprecated in torch (torch.linalg.cholesky is the same call); upper=True returns U = L^T in "
                   "both.", *_CHOLESKY.notes)),
    Record(
        torch="torch.Tensor.cholesky_inverse",
        jax="jax.numpy.linalg.inv",
        status="caveat",
        torch_example="l = a.tril()\nout = l.cholesky_inverse()",
        jax_example="l = jnp.tril(a)\nout = jnp.linalg.inv(l @ l.mT)",
        inputs=(_A,),
        checks=("forward", "jit", "grad"),
        tol=_LAPACK,
        grad_tol=Tol(1e-4, 1e-4, "float32: the inverse's gradient multiplies two inverses (LAPACK potri in torch, "
                                 "an LU solve in JAX); measured up to 2e-5"),
        notes=("The inverse of A = L L^T from its Cholesky factor L; upper=True takes U with A = U^T U.",
               "torch reads only the named triangle of the factor; the rewrite uses the whole matrix: pass a "
               "triangular factor (as torch.linalg.cholesky returns), or take jnp.tril / jnp.triu first.",
               "jax.scipy.linalg.cho_solve((L, True), jnp.eye(n)) is the same inverse through triangular solves."),
        differences=(Difference(
            note="a factor with a non-zero upper triangle: torch ignores it, the rewrite does not",
            torch="out = torch.tensor([[2.0, 1.0], [0.5, 3.0]]).cholesky_inverse()",
            jax="l = jnp.array([[2.0, 1.0], [0.5, 3.0]])\nout = jnp.linalg.inv(l @ l.mT)",
            min_diff=0.05),),
        sig="upper=False",
        template="jnp.linalg.inv({self} @ {self}.mT)",
        values={"upper": {"False": "False"}},
    ),
    Record(
        torch="torch.Tensor.cholesky_solve",
        jax="jax.scipy.linalg.cho_solve",
        status="caveat",
        torch_example="l = torch.linalg.cholesky(a @ a.mT, upper=u)\nout = b.cholesky_solve(l, upper=u)",
        jax_example="l = jnp.linalg.cholesky(a @ a.mT, upper=u)\nout = jax.scipy.linalg.cho_solve((l, not u), b)",
        inputs=(_A, T("b", "B,N,K"), Choice("u", (False, True))),
        checks=("forward", "jit", "grad"),
        tol=_LAPACK,
        grad_tol=Tol(1e-4, 1e-5, "float32 triangular solves in a different order (LAPACK potrs vs XLA)"),
        notes=("b.cholesky_solve(L) solves A X = b with A = L L^T (upper=True: A = U^T U); cho_solve takes the "
               "factor with a flag saying it is lower: not upper.",
               "Both read only the named triangle of the factor, and the values agree. The gradient with respect to "
               "the factor differs on the other triangle: torch returns a non-zero gradient there, JAX zero (the "
               "entries are not read). With a factor from torch.linalg.cholesky / jnp.linalg.cholesky (as in the "
               "example) the gradients reaching A agree; PyTorch's own test inputs found the difference."),
        differences=(Difference(
            note="the gradient w.r.t. the unread upper triangle of a lower factor: torch -0.115, JAX 0",
            torch="l = torch.tensor([[2.0, 0.0], [0.5, 3.0]], requires_grad=True)\n"
                  "torch.ones(2, 1).cholesky_solve(l).sum().backward()\nout = l.grad[0, 1]",
            jax="out = jax.grad(lambda l: jax.scipy.linalg.cho_solve((l, True), jnp.ones((2, 1))).sum())("
                "jnp.array([[2.0, 0.0], [0.5, 3.0]]))[0, 1]",
            min_diff=0.1),),
        sig="input2, upper=False",
        template="jax.scipy.linalg.cho_solve(({input2}, not {upper}), {self})",
    ),
    _method(_QR, "qr", "q, r = a.qr(some=True)\n" + _QR_OUT,
            "q, r = jnp.linalg.qr(a, mode='reduced')\n" + _QR_OUT,
            sig="some=True", template="jnp.linalg.qr({self}, mode={some})",
            values={"some": {"True": "'reduced'"}},
            notes=("Deprecated in torch (torch.linalg.qr): some=True is mode='reduced'. some=False is "
                   "mode='complete', whose extra columns of Q are not unique: not rewritten.",
                   *_QR.notes)),
    _method(_SVD, "svd", "u, s, v = a.svd()\n" + _SVD_OUT,
            "u, s, v = (lambda r: (r.U, r.S, r.Vh.mT))(jnp.linalg.svd(a, full_matrices=False))\n" + _SVD_OUT,
            status="caveat", sig="some=True, compute_uv=True",
            template="(lambda r: (r.U, r.S, r.Vh.mT))(jnp.linalg.svd({self}, full_matrices={some}))",
            values={"some": {"True": "False"}},
            unsupported_args={"compute_uv": "torch returns zero-filled U and V with compute_uv=False: use "
                                            "jnp.linalg.svdvals(x) for the singular values"},
            notes=("x.svd() returns V, jnp.linalg.svd returns V^H (vh): the rewrite transposes it. some=True "
                   "(torch's default) is full_matrices=False.", *_SVD.notes[:2]),
            differences=(Difference(
                note="torch's svd returns V, jnp.linalg.svd V^H: using vh as v transposes it",
                torch="out = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).svd()[2]",
                jax="out = jnp.linalg.svd(jnp.array([[1.0, 2.0], [3.0, 4.0]]))[2]",
                min_diff=0.5),)),
    Record(
        torch="torch.Tensor.lu",
        jax="jax.scipy.linalg.lu_factor",
        torch_example="s = a.flip(-1)\nlu, piv = s.lu()\nout = (lu, piv)",
        jax_example="s = jnp.flip(a, -1)\nlu, piv = (lambda f: (f[0], f[1] + 1))(jax.scipy.linalg.lu_factor(s))\n"
                    "out = (lu, piv)",
        inputs=(_A,),
        checks=("forward", "jit", "grad"),
        tol=_LAPACK,
        notes=("The packed LU factorization with partial pivoting (LAPACK getrf in both): L below the diagonal "
               "(unit diagonal implied) and U on and above it. torch's pivots are 1-based (int32), JAX's 0-based: "
               "the rewrite adds 1, so the pivots feed torch-style code (and x.lu_solve's rewrite subtracts it).",
               "The example flips the columns so that rows really swap."),
        differences=(_LU_DIFF,),
        sig="pivot=True, get_infos=False",
        template="(lambda f: (f[0], f[1] + 1))(jax.scipy.linalg.lu_factor({self}))",
        values={"pivot": {"True": "True"}},
        unsupported_args={"get_infos": "JAX reports no info codes: a singular matrix gives inf / NaN entries"},
    ),
    Record(
        torch="torch.Tensor.lu_solve",
        jax="jax.scipy.linalg.lu_solve",
        torch_example="s = a.flip(-1)\nlu, piv = s.lu()\nout = b.lu_solve(lu, piv)",
        jax_example="s = jnp.flip(a, -1)\nlu, piv = (lambda f: (f[0], f[1] + 1))(jax.scipy.linalg.lu_factor(s))\n"
                    "out = jax.scipy.linalg.lu_solve((lu, piv - 1), b)",
        inputs=(_A, T("b", "B,N,K")),
        checks=("forward", "jit", "grad"),
        tol=_LAPACK,
        grad_tol=Tol(1e-4, 1e-5, "float32 triangular solves in a different order (LAPACK getrs vs XLA)"),
        notes=("Solves A X = b from A's packed LU factors and torch's 1-based pivots; jax.scipy.linalg.lu_solve "
               "takes 0-based pivots: the rewrite subtracts 1.",),
        differences=(_LU_DIFF,),
        sig="LU_data, LU_pivots",
        template="jax.scipy.linalg.lu_solve(({LU_data}, {LU_pivots} - 1), {self})",
    ),
    _method(_TRIANGULAR, "triangular_solve", "x, c = b.triangular_solve(a, upper=u, transpose=t)\nout = (x, c)",
            "x, c = (jax.scipy.linalg.solve_triangular(a, b, lower=not u, trans=int(t), unit_diagonal=False), a)\n"
            "out = (x, c)",
            inputs=(_A, T("b", "B,N,K"), Choice("u", (True, False)), Choice("t", (False, True))),
            sig="A, upper=True, transpose=False, unitriangular=False",
            template="(jax.scipy.linalg.solve_triangular({A}, {self}, lower=not {upper}, trans=int({transpose}), "
                     "unit_diagonal={unitriangular}), {A})",
            notes=("Deprecated in torch (torch.linalg.solve_triangular). b.triangular_solve(A) solves A X = b and "
                   "returns (X, a copy of A): the rewrite returns A itself (JAX arrays are immutable). upper=True is "
                   "the default in torch, lower=False in jax.scipy.linalg.solve_triangular: the rewrite negates it.",
                   "Both read only the named triangle of A.")),
    Record(
        torch="torch.Tensor.geqrf",
        jax="jax.numpy.linalg.qr",
        torch_example="h, tau = a.geqrf()\nout = (h, tau)",
        jax_example="h, tau = (lambda raw: (raw[0].mT, raw[1]))(jnp.linalg.qr(a, mode='raw'))\nout = (h, tau)",
        inputs=(_TALL,),
        checks=("forward", "jit"),
        tol=_LAPACK,
        why_not={"grad": "torch defines no derivative for geqrf (RuntimeError: not implemented)"},
        notes=("LAPACK's geqrf output: R on and above the diagonal, the Householder vectors below it, and their "
               "scalars tau. jnp.linalg.qr(x, mode='raw') returns the same with the first output transposed: "
               "the rewrite transposes it back.",),
        template="(lambda raw: (raw[0].mT, raw[1]))(jnp.linalg.qr({self}, mode='raw'))",
    ),
    Record(
        torch="torch.Tensor.orgqr",
        jax="jax.lax.linalg.householder_product",
        torch_example="h, tau = a.geqrf()\nout = h.orgqr(tau)",
        jax_example="h, tau = (lambda raw: (raw[0].mT, raw[1]))(jnp.linalg.qr(a, mode='raw'))\n"
                    "out = lax.linalg.householder_product(h, tau)",
        inputs=(_TALL,),
        checks=("forward", "jit"),
        tol=_LAPACK,
        why_not={"grad": "JAX defines no derivative for householder_product (NotImplementedError)"},
        notes=("Q from geqrf's Householder vectors and scalars (torch.linalg.householder_product): the first n "
               "columns of the product of the reflectors.",
               "jax.grad of householder_product raises in JAX; torch differentiates it. To differentiate, take Q "
               "from jnp.linalg.qr instead."),
        sig="input2",
        template="lax.linalg.householder_product({self}, {input2})",
    ),
    Record(
        torch="torch.Tensor.ormqr",
        jax="jax.lax.linalg.ormqr",
        torch_example="h, tau = a.geqrf()\nout = h.ormqr(tau, c, left=l, transpose=t)",
        jax_example="h, tau = (lambda raw: (raw[0].mT, raw[1]))(jnp.linalg.qr(a, mode='raw'))\n"
                    "out = lax.linalg.ormqr(h, tau, c, left=l, transpose=t)",
        inputs=(T("a", "B,4,4", low=-0.25, high=0.25, diag=4.0), T("c", "B,4,4"), Choice("l", (True, False)),
                Choice("t", (False, True))),
        checks=("forward", "jit"),
        tol=_LAPACK,
        why_not={"grad": "torch defines no derivative for ormqr with respect to the reflectors, and JAX none for "
                         "lax.linalg.ormqr"},
        notes=("Multiplies c by Q (or Q^T; from the left or the right) from geqrf's output without forming Q; "
               "same arguments and defaults in both.",),
        sig="input2, input3, left=True, transpose=False",
        template="lax.linalg.ormqr({self}, {input2}, {input3}, left={left}, transpose={transpose})",
    ),
]
