"""Mixed precision beyond torch.autocast / GradScaler (patterns.py): the torch.cuda.amp spellings and the
custom-function decorators. In JAX precision is explicit: a compute dtype per module (dtype=) over
float32 master weights (param_dtype=), no context that changes ops behind the code's back.
"""

from mapping.record import Choice, Record, T, Tol

_EXPLICIT = ("JAX has no autocast context: give the modules a compute dtype (dtype=jnp.bfloat16, or float16 "
             "on GPU) and keep param_dtype=jnp.float32 master weights; keep norms, softmax and the loss in "
             "float32")

RECORDS = [
    Record(
        torch="torch.cuda.amp.autocast",
        jax="nnx modules with dtype= (compute) and param_dtype=jnp.float32",
        status="manual",
        torch_example=(
            "m = nn.Linear(4, 3)\n"
            "with torch.cuda.amp.autocast(enabled=torch.cuda.is_available()):\n"
            "    out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "compute = jnp.float16 if jax.default_backend() == 'gpu' else jnp.float32\n"
            "m = load_linear(nnx.Linear(4, 3, dtype=compute, param_dtype=jnp.float32, rngs=nnx.Rngs(0)), sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("torch.cuda.amp.autocast(...) is deprecated for torch.autocast('cuda', ...) and computes in "
               "float16 by default; without CUDA it disables itself (float32), as in the example.",
               "bfloat16 needs no loss scaling; float16 does (see torch.amp.GradScaler)."),
        reason=_EXPLICIT,
    ),
    Record(
        torch="torch.amp.is_autocast_available",
        jax="(none): every backend computes bfloat16",
        status="manual",
        torch_example="ok = torch.amp.is_autocast_available('cpu')\nout = x.to(torch.bfloat16 if ok else x.dtype)",
        jax_example="out = x.astype(jnp.bfloat16)",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        tol=Tol(0.0, 0.0, "the same rounding to bfloat16 (round to nearest even) on both sides"),
        reason="XLA accepts bfloat16 on CPU, GPU and TPU: there is nothing to ask; choose the compute dtype",
    ),
    Record(
        torch="torch.is_autocast_enabled",
        jax="(none): precision is explicit",
        status="manual",
        torch_example=(
            "with torch.autocast('cpu', dtype=torch.bfloat16, enabled=on):\n"
            "    out = torch.is_autocast_enabled('cpu')"
        ),
        jax_example="out = on  # the compute dtype is a setting your code passes along, not global state",
        inputs=(Choice("on", (False, True)),),
        checks=("forward",),
        reason="there is no autocast state to query: pass the compute dtype (or a flag) to the code that "
               "needs it",
    ),
    Record(
        torch="torch.amp.custom_fwd",
        jax="jax.custom_vjp with explicit casts",
        status="manual",
        aliases=("torch.amp.custom_bwd", "torch.cuda.amp.custom_fwd", "torch.cuda.amp.custom_bwd"),
        torch_example=(
            "class Square(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    @torch.amp.custom_fwd(device_type='cpu', cast_inputs=torch.float32)\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return x * x\n"
            "    @staticmethod\n"
            "    @torch.amp.custom_bwd(device_type='cpu')\n"
            "    def backward(ctx, g):\n"
            "        (x,) = ctx.saved_tensors\n"
            "        return 2 * x * g\n"
            "out = Square.apply(x)"
        ),
        jax_example=(
            "@jax.custom_vjp\n"
            "def square(x):\n"
            "    return x * x\n"
            "def fwd(x):\n"
            "    x = x.astype(jnp.float32)  # cast_inputs=torch.float32\n"
            "    return x * x, x\n"
            "def bwd(x, g):\n"
            "    return (2 * x * g,)\n"
            "square.defvjp(fwd, bwd)\n"
            "out = square(x)"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("custom_fwd(cast_inputs=...) casts the inputs when autocast is on; in JAX cast them in the "
               "function (there is no autocast to react to).",),
        reason="custom autograd functions become jax.custom_vjp; autocast decorators become explicit casts",
    ),
]
