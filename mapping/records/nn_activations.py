"""Parameter-free `torch.nn` modules (activations, paddings) -> JAX functions, and the functional forms
nn_functional.py lacks. A module `m = nn.Hardtanh()` becomes `m = lambda x: ...`.
"""

from mapping.record import Choice, Dim, Record, T, Tol

_MEAN = {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'none'": "jnp.asarray"}
_LEGACY = {"size_average": "deprecated in torch: use reduction", "reduce": "deprecated in torch: use reduction"}
_FN = "A parameter-free module becomes a function; inplace=True has no meaning in JAX (arrays are immutable)."


def _module(name: str, args: str, expr: str, template: str, sig: str, inputs: tuple = (), status: str = "verified",
            notes: tuple = (), checks=("forward", "jit", "grad", "bf16"), tol=None, unsupported=None,
            sizes=(0, 4)) -> Record:
    """nn.<name>(args) -> m = lambda x: expr (template: the same lambda with {arg} holes)."""
    kw = dict(tol=tol, grad_tol=tol) if tol else {}
    return Record(
        torch=f"torch.nn.{name}",
        jax="a function (jax.nn / jax.numpy)",
        status=status,
        torch_example=f"m = nn.{name}({args})\nout = m(x)",
        jax_example=f"m = lambda x: {expr}\nout = m(x)",
        inputs=inputs or (T("x", "*", unique=True),),
        checks=checks,
        sizes=sizes,
        notes=(_FN, *notes),
        sig=sig,
        template=f"lambda x: {template}",
        unsupported_args=unsupported or {},
        **kw,
    )


def _function(name: str, torch_args: str, expr: str, template: str, sig: str, inputs: tuple, notes: tuple = (),
              checks=("forward", "jit", "grad", "bf16"), tol=None, status: str = "verified", loss: bool = False,
              unsupported: dict | None = None) -> Record:
    """F.<name>(...) -> an expression (template with {arg} holes)."""
    kw = dict(tol=tol, grad_tol=tol) if tol else {}
    return Record(
        torch=f"torch.nn.functional.{name}",
        jax="jax.numpy",
        status=status,
        torch_example=f"out = F.{name}({torch_args})",
        jax_example=f"out = {expr}",
        inputs=inputs,
        checks=checks,
        sizes=(0, 4),
        notes=notes,
        sig=sig,
        template=template,
        values={"reduction": _MEAN} if loss else {},
        unsupported_args={**(_LEGACY if loss else {}), **(unsupported or {})},
        **kw,
    )


_X = (T("x", "*", unique=True),)
_LOSS = Tol(1e-5, 1e-5, "float32 reduction over the batch: summation order differs")

_PAD_NOTE = ("An int pads every side; torch's tuple (left, right[, top, bottom, ...]) lists the last axis first: "
             "np.broadcast_to(padding, (2 * n,)).reshape(n, 2)[::-1] gives jnp.pad's (before, after) pairs in axis "
             "order, for either.")
_PAD_TUPLES = {1: (0, 2), 2: (1, 0, 2, 1), 3: (1, 0, 2, 1, 0, 2)}


def _pad(name: str, dims: int, mode: str, value: str = "") -> Record:
    extra = ", constant_values={v}" if value else (f", mode='{mode}'" if mode != "constant" else "")
    lead = f"[(0, 0)] * (x.ndim - {dims})"
    pairs = f"np.broadcast_to({{}}, ({2 * dims},)).reshape({dims}, 2)[::-1].tolist()"
    body = f"jnp.pad(x, {lead} + {pairs.format('p')}{extra.format(v=value)})"
    template = f"jnp.pad(x, {lead} + {pairs.format('{padding}')}{extra.format(v='{value}')})"
    shape = ",".join(["N", "C"] + ["L"] * dims)
    return _module(name, f"p{', ' + value if value else ''}", body, template,
                   "padding, value" if value else "padding", (T("x", shape), Choice("p", (1, 2, _PAD_TUPLES[dims]))),
                   notes=(_PAD_NOTE, f"jnp.pad's mode='{mode}' pads as nn.{name} does." if mode != "constant" else
                          "The padding value is 0 unless given."), sizes=(3, 5))


RECORDS = [
    _module("Hardtanh", "-2.0, 1.5", "jnp.where(x <= -2.0, -2.0, jnp.where(x >= 1.5, 1.5, x))",
            "jnp.where(x <= {min_val}, {min_val}, jnp.where(x >= {max_val}, {max_val}, x))",
            "min_val=-1.0, max_val=1.0, inplace=False, min_value=None, max_value=None",
            notes=("Written with jnp.where, as torch's gradient is 0 at the bounds (jnp.clip passes 1 there).",),
            unsupported={"min_value": "deprecated in torch: use min_val", "max_value": "deprecated: use max_val"}),
    _module("ReLU6", "", "jax.nn.relu6(x)", "jax.nn.relu6(x)", "inplace=False",
            (T("x", "*", low=-8, high=8, unique=True, normal=True),), status="caveat",
            notes=("At exactly 0 and 6, and at a subnormal input, the gradients differ (see "
                   "torch.nn.functional.relu6); drawn values avoid them.",)),
    _module("CELU", "alpha=0.5", "jax.nn.celu(x, alpha=0.5)", "jax.nn.celu(x, alpha={alpha})",
            "alpha=1.0, inplace=False",
            (T("x", "*", low=-6, high=6, unique=True),), status="caveat",
            notes=("Same formula; see torch.nn.functional.celu for the measured rounding.",),
            tol=Tol(1e-6, 1e-6, "expm1 of float32: a few ulp")),
    _module("SELU", "", "jax.nn.selu(x)", "jax.nn.selu(x)", "inplace=False",
            (T("x", "*", low=-6, high=6, unique=True, normal=True),),
            status="caveat", notes=("Same constants; see torch.nn.functional.selu for the measured rounding and "
                                    "the gradient at a subnormal input (drawn values avoid them).",),
            tol=Tol(1e-6, 1e-6, "expm1 of float32 times the SELU scale: a few ulp")),
    _module("Hardsigmoid", "", "jax.nn.hard_sigmoid(x)", "jax.nn.hard_sigmoid(x)", "inplace=False",
            (T("x", "*", low=-5, high=5, unique=True),)),
    _module("Hardswish", "", "jax.nn.hard_swish(x)", "jax.nn.hard_swish(x)", "inplace=False",
            (T("x", "*", low=-5, high=5, unique=True),), status="caveat",
            notes=("At exactly +-3 the gradients differ (see torch.nn.functional.hardswish); drawn values avoid "
                   "them.",)),
    _module("LogSigmoid", "", "jax.nn.log_sigmoid(x)", "jax.nn.log_sigmoid(x)", "",
            (T("x", "*", low=-20, high=20),)),
    _module("Softsign", "", "jax.nn.soft_sign(x)", "jax.nn.soft_sign(x)", ""),
    _module("Tanhshrink", "", "x - jnp.tanh(x)", "x - jnp.tanh(x)", "",
            tol=Tol(1e-6, 1e-6, "x - tanh(x) cancels near 0: an ulp of x")),
    _module("Hardshrink", "lambd=0.75", "jnp.where(jnp.abs(x) > 0.75, x, 0.0)",
            "jnp.where(jnp.abs(x) > {lambd}, x, 0.0)", "lambd=0.5"),
    _module("Softshrink", "lambd=0.75", "jnp.where(x > 0.75, x - 0.75, jnp.where(x < -0.75, x + 0.75, 0.0))",
            "jnp.where(x > {lambd}, x - {lambd}, jnp.where(x < -{lambd}, x + {lambd}, 0.0))", "lambd=0.5"),
    _module("Threshold", "0.5, -1.0", "jnp.where(x > 0.5, x, -1.0)", "jnp.where(x > {threshold}, x, {value})",
            "threshold, value, inplace=False"),
    _module("LogSoftmax", "dim=d", "jax.nn.log_softmax(x, axis=d)", "jax.nn.log_softmax(x, axis={dim})", "dim=None",
            (T("x", "*", low=-10, high=10), Dim("d", "x")),
            notes=("Always pass dim: without it torch guesses (dim 0 for 0-, 1- and 3-D inputs).",)),
    _module("Softmin", "dim=d", "jax.nn.softmax(-x, axis=d)", "jax.nn.softmax(-x, axis={dim})", "dim=None",
            (T("x", "*", low=-10, high=10), Dim("d", "x")),
            notes=("softmin(x) = softmax(-x). Always pass dim.",)),
    _module("GLU", "dim=d", "jax.nn.glu(x, axis=d)", "jax.nn.glu(x, axis={dim})", "dim=-1",
            (T("x", "N,4,6"), Choice("d", (-1, 1, 2)))),
    _module("Softmax2d", "", "jax.nn.softmax(x, axis=-3)", "jax.nn.softmax(x, axis=-3)", "",
            (T("x", "N,C,H,W", low=-10, high=10),), notes=("Softmax over the channel axis of NCHW (or CHW) input.",)),
    _pad("ZeroPad1d", 1, "constant"),
    _pad("ConstantPad1d", 1, "constant", "1.5"),
    _pad("ConstantPad3d", 3, "constant", "1.5"),
    _pad("ReflectionPad1d", 1, "reflect"),
    _pad("ReplicationPad1d", 1, "edge"),
    _pad("ReplicationPad2d", 2, "edge"),
    _pad("CircularPad1d", 1, "wrap"),
    _pad("CircularPad2d", 2, "wrap"),
    _function("hardshrink", "x, 0.75", "jnp.where(jnp.abs(x) > 0.75, x, 0.0)",
              "jnp.where(jnp.abs({input}) > {lambd}, {input}, 0.0)", "input, lambd=0.5", _X),
    _function("softshrink", "x, 0.75", "jnp.where(x > 0.75, x - 0.75, jnp.where(x < -0.75, x + 0.75, 0.0))",
              "jnp.where({input} > {lambd}, {input} - {lambd}, jnp.where({input} < -{lambd}, {input} + {lambd}, 0.0))",
              "input, lambd=0.5", _X),
    _function("tanhshrink", "x", "x - jnp.tanh(x)", "{input} - jnp.tanh({input})", "input", _X,
              tol=Tol(1e-6, 1e-6, "x - tanh(x) cancels near 0: an ulp of x")),
    _function("threshold", "x, 0.5, -1.0", "jnp.where(x > 0.5, x, -1.0)",
              "jnp.where({input} > {threshold}, {input}, {value})", "input, threshold, value, inplace=False", _X),
    _function("softmin", "x, dim=d", "jax.nn.softmax(-x, axis=d)", "jax.nn.softmax(-{input}, axis={dim})",
              "input, dim=None, _stacklevel=3, dtype=None", (T("x", "*", low=-10, high=10), Dim("d", "x"))),
    _function("soft_margin_loss", "x, y", "jnp.mean(jax.nn.softplus(-y * x))",
              "{reduction}(jax.nn.softplus(-{target} * {input}))",
              "input, target, size_average=None, reduce=None, reduction='mean'",
              (T("x", "N,M"), T("y", "N,M", grad=False)), checks=("forward", "jit", "grad"), tol=_LOSS, loss=True),
    _function("poisson_nll_loss", "x, y", "jnp.mean(jnp.exp(x) - y * x)",
              "{reduction}(jnp.exp({input}) - {target} * {input})",
              "input, target, log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean'",
              (T("x", "N,M"), T("y", "N,M", low=0, high=5)), checks=("forward", "jit", "grad"), tol=_LOSS, loss=True,
              unsupported={"log_input": "log_input=False: input - target * jnp.log(input + eps)",
                           "full": "full=True adds Stirling's term where target > 1"}),
    _function("hinge_embedding_loss", "x, y",
              "jnp.mean(jnp.where(y != 1, jnp.maximum(0.0, 1.0 - x), 0.0) + jnp.where(y != -1, x, 0.0))",
              "{reduction}(jnp.where({target} != 1, jnp.maximum(0.0, {margin} - {input}), 0.0) + "
              "jnp.where({target} != -1, {input}, 0.0))",
              "input, target, margin=1.0, size_average=None, reduce=None, reduction='mean'",
              (T("x", "N,M"), T("y", "N,M")), checks=("forward", "jit", "grad"), tol=_LOSS, loss=True,
              status="caveat", notes=("At input == margin exactly the gradient differs: torch 0, jnp.maximum splits "
                                      "the tie (0.5 of the cotangent). Values agree everywhere.",)),
    _function("multilabel_soft_margin_loss", "x, t",
              "jnp.mean(-(t * jax.nn.log_sigmoid(x) + (1 - t) * jax.nn.log_sigmoid(-x)).mean(-1))",
              "{reduction}(-({target} * jax.nn.log_sigmoid({input}) + (1 - {target}) * "
              "jax.nn.log_sigmoid(-{input})).mean(-1))",
              "input, target, weight=None, size_average=None, reduce=None, reduction='mean'",
              (T("x", "N,C", low=-5, high=5), T("t", "N,C", low=0, high=1)), checks=("forward", "jit", "grad"),
              tol=_LOSS, loss=True,
              unsupported={"weight": "multiply by the class weights before the mean over classes"}),
]
