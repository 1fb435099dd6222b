"""Legacy and process-wide torch calls seen in real scripts: typed tensor constructors, Variable, default
dtypes, grad mode, safe unpickling, torch.hub, the profiler, backend flags.

Most have no call-for-call rewrite: JAX has no global state for them (dtype, grad mode, RNG) or no
pickle-based formats. Each example shows the idiomatic JAX way and runs.
"""

from mapping.record import Choice, Record, T, Tol

_TYPED = ("the typed constructors are deprecated in torch: {name}(data) copies data as {dtype}; "
          "{name}(2, 3) allocates uninitialised memory, which JAX never does: jnp.asarray(data, {jdtype}) "
          "or jnp.zeros((2, 3), {jdtype})")
_HUBCONF = ("    with open(os.path.join(d, 'hubconf.py'), 'w') as f:\n"
            "        f.write('import torch\\n'\n"
            "                'def tiny(scale=2.0):\\n'\n"
            "                '    \"\"\"A tiny model.\"\"\"\\n'\n"
            "                '    return torch.nn.Hardtanh(-scale, scale)\\n')\n")


def _typed(name: str, dtype: str, jdtype: str, inputs: tuple, notes: tuple = (), numpy: bool = False) -> Record:
    return Record(
        torch=f"torch.{name}",
        jax="numpy.asarray" if numpy else "jax.numpy.asarray",
        status="manual",
        torch_example=f"out = torch.{name}(v)",
        jax_example=f"out = np.asarray(v, {jdtype})" if numpy else f"out = jnp.asarray(v, {jdtype})",
        inputs=inputs,
        checks=("forward",) if numpy else ("forward", "jit"),
        notes=notes,
        reason=_TYPED.format(name=f"torch.{name}", dtype=dtype, jdtype=jdtype),
    )


RECORDS = [
    _typed("FloatTensor", "float32", "jnp.float32", (Choice("v", ([1.5, -2.0, 3.25], [[1, 2], [3, 4]], [])),)),
    _typed("LongTensor", "int64", "jnp.int32", (Choice("v", ([1, -2, 3], [[0, 5], [7, 9]], [])),),
           notes=("int64 in torch, int32 in JAX unless x64 is enabled (jax.config.update('jax_enable_x64', "
                  "True)).",)),
    _typed("IntTensor", "int32", "jnp.int32", (Choice("v", ([1, -2, 3], [[0, 5], [7, 9]])),)),
    _typed("ByteTensor", "uint8", "jnp.uint8", (Choice("v", ([1, 2, 255], [[0, 5], [7, 9]])),)),
    _typed("BoolTensor", "bool", "jnp.bool_", (Choice("v", ([True, False], [[1, 0], [0, 1]])),)),
    _typed("DoubleTensor", "float64", "np.float64", (Choice("v", ([1.5, -0.1, 3.25], [[1, 2], [3, 4]])),),
           notes=("JAX has float64 only with x64 enabled (jax.config.update('jax_enable_x64', True) at start-up); "
                  "without it jnp.asarray(v, jnp.float64) gives float32. Keep float64 data in numpy, as here, or "
                  "enable x64.",), numpy=True),
    Record(
        torch="torch.autograd.Variable",
        jax="(none): arrays are values",
        status="manual",
        torch_example="v = torch.autograd.Variable(x, requires_grad=True)\nout = (v * 3).sum()",
        jax_example="v = x\nout = (v * 3).sum()",
        inputs=(T("x", "*", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "builds a new leaf tensor: torch's gradient never flows back to x"},
        notes=("Variable has been a thin wrapper since torch 0.4: Variable(x, requires_grad=True) makes a new "
               "leaf tensor, so gradients stop there (no gradient reaches x); in JAX jax.grad differentiates "
               "with respect to the function's arguments instead.",),
        reason="delete the wrapper; differentiate a function with jax.grad instead of marking tensors",
    ),
    Record(
        torch="torch.autograd.Function",
        jax="jax.custom_vjp",
        status="manual",
        torch_example=(
            "class Clip(torch.autograd.Function):\n"
            "    @staticmethod\n"
            "    def forward(ctx, x):\n"
            "        ctx.save_for_backward(x)\n"
            "        return x.clamp(-1, 1)\n"
            "    @staticmethod\n"
            "    def backward(ctx, g):\n"
            "        return g  # straight-through\n"
            "out = Clip.apply(x)"
        ),
        jax_example=(
            "@jax.custom_vjp\n"
            "def clip(x):\n"
            "    return jnp.clip(x, -1, 1)\n"
            "clip.defvjp(lambda x: (clip(x), None), lambda res, g: (g,))\n"
            "out = clip(x)"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("forward(ctx, ...) -> the fwd function returns (output, residuals); ctx.save_for_backward -> "
               "the residuals; backward returns one cotangent per input, as a tuple.",
               "jax.custom_jvp is the forward-mode alternative (and works with jax.jvp too)."),
        reason="a custom autograd Function becomes a function decorated with jax.custom_vjp, with fwd/bwd "
               "rules registered by defvjp",
    ),
    Record(
        torch="torch.set_default_dtype",
        jax="jax.config.update('jax_enable_x64', ...)",
        status="manual",
        aliases=("torch.get_default_dtype",),
        torch_example=(
            "prev = torch.get_default_dtype()\n"
            "torch.set_default_dtype(torch.float32)\n"
            "out = torch.tensor([1.5, 2.0]) * x\n"
            "torch.set_default_dtype(prev)"
        ),
        jax_example="out = jnp.array([1.5, 2.0]) * x  # float32 is JAX's default",
        inputs=(T("x", "2"),),
        checks=("forward", "jit", "grad"),
        notes=("torch.set_default_dtype(torch.float64) corresponds to enabling x64 at start-up "
               "(jax.config.update('jax_enable_x64', True)) and then asking for float64 explicitly: JAX's "
               "default float stays float32-compatible per call (jnp.array(1.5) is float64 only with x64).",),
        reason="JAX's default float is float32 and not settable per process beyond x64; pass dtype= where "
               "another is wanted",
    ),
    Record(
        torch="torch.set_default_tensor_type",
        jax="(none): float32 is the default",
        status="manual",
        torch_example=(
            "torch.set_default_tensor_type(torch.FloatTensor)\n"
            "out = torch.zeros(3) + x"
        ),
        jax_example="out = jnp.zeros(3) + x",
        inputs=(T("x", "3"),),
        checks=("forward", "jit", "grad"),
        notes=("Deprecated in torch for set_default_dtype / set_default_device. "
               "set_default_tensor_type(torch.cuda.FloatTensor) (allocate on the GPU) is JAX's default "
               "behaviour already.",),
        reason="JAX creates float32 arrays on the default device: delete the call",
    ),
    Record(
        torch="torch.set_grad_enabled",
        jax="jax.lax.stop_gradient (or nothing)",
        status="manual",
        aliases=("torch.autograd.set_grad_enabled", "torch.autograd.grad_mode.set_grad_enabled"),
        torch_example="with torch.set_grad_enabled(train):\n    y = x * 2\nout = y",
        jax_example="y = x * 2 if train else jax.lax.stop_gradient(x * 2)\nout = y",
        inputs=(T("x", "*"), Choice("train", (False, True))),
        checks=("forward", "jit", "grad"),
        notes=("Outside jax.grad nothing is recorded anyway: the usual rewrite deletes the context and calls "
               "the loss function under jax.value_and_grad only when training.",),
        reason="JAX differentiates only what a transformation asks for: drop the context; stop gradients "
               "explicitly with jax.lax.stop_gradient",
    ),
    Record(
        torch="torch.enable_grad",
        jax="jax.grad (gradients are requested, not enabled)",
        status="manual",
        aliases=("torch.autograd.enable_grad",),
        torch_example=(
            "with torch.no_grad():\n"
            "    with torch.enable_grad():\n"
            "        y = (x ** 2).sum()\n"
            "out = y"
        ),
        jax_example="y = (x ** 2).sum()\nout = y",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        reason="there is no grad mode: wrap the computation in the function passed to jax.grad",
    ),
    Record(
        torch="torch.is_grad_enabled",
        jax="(none): there is no grad mode",
        status="manual",
        torch_example="with torch.set_grad_enabled(on):\n    out = torch.is_grad_enabled()",
        jax_example="out = on  # pass the flag your code needs explicitly",
        inputs=(Choice("on", (False, True)),),
        checks=("forward",),
        reason="JAX keeps no autograd state to query: a function knows it is differentiated only by "
               "design (pass a flag, or differentiate a separate loss function)",
    ),
    Record(
        torch="torch.autograd.set_detect_anomaly",
        jax="jax.config.update('jax_debug_nans', True)",
        status="manual",
        aliases=("torch.autograd.detect_anomaly",),
        torch_example=(
            "with torch.autograd.set_detect_anomaly(True):\n"
            "    y = (x * x).sum()\n"
            "out = y"
        ),
        jax_example=(
            "with jax.debug_nans(True):  # raises at the first operation that produces a nan\n"
            "    y = (x * x).sum()\n"
            "out = y"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("jax_debug_nans re-runs a jitted function op by op when a nan appears and reports the "
               "primitive; jax_debug_infs does the same for inf.",),
        reason="anomaly detection becomes JAX's nan / inf checks (jax.debug_nans context or the "
               "jax_debug_nans config flag); jax.debug.print inspects intermediate values",
    ),
    Record(
        torch="torch.use_deterministic_algorithms",
        jax="XLA_FLAGS=--xla_gpu_deterministic_ops=true",
        status="manual",
        torch_example=(
            "prev = torch.are_deterministic_algorithms_enabled()\n"
            "torch.use_deterministic_algorithms(True)\n"
            "out = x.cumsum(0)\n"
            "torch.use_deterministic_algorithms(prev)"
        ),
        jax_example="out = jnp.cumsum(x, axis=0)  # on GPU: XLA_FLAGS=--xla_gpu_deterministic_ops=true",
        inputs=(T("x", "N,C"),),
        checks=("forward", "jit", "grad"),
        tol=Tol(
            1e-6, 1e-5, "float32 running sums: XLA and torch add in a different association"),
        notes=("XLA on CPU and TPU is deterministic; on GPU, scatter-adds and some reductions are not "
               "unless XLA_FLAGS=--xla_gpu_deterministic_ops=true is set before start-up.",),
        reason="determinism is an XLA flag set in the environment before JAX starts, not a runtime call",
    ),
    Record(
        torch="torch.backends.cudnn.benchmark",
        jax="XLA autotuning (on by default)",
        status="manual",
        aliases=("torch.backends.cudnn.deterministic", "torch.backends.cudnn.enabled"),
        torch_example=(
            "torch.backends.cudnn.benchmark = True\n"
            "torch.backends.cudnn.deterministic = False\n"
            "out = x * 2"
        ),
        jax_example="out = x * 2  # XLA autotunes convolutions and matmuls when it compiles",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("XLA_FLAGS=--xla_gpu_autotune_level=0 turns autotuning off; "
               "--xla_gpu_deterministic_ops=true corresponds to cudnn.deterministic = True.",),
        reason="cuDNN flags have no JAX API: XLA autotunes at compile time; its behaviour is set with "
               "XLA_FLAGS before start-up",
    ),
    Record(
        torch="torch.backends.cuda.matmul.allow_tf32",
        jax="jax.default_matmul_precision",
        status="manual",
        aliases=("torch.backends.cudnn.allow_tf32",),
        torch_example=(
            "torch.backends.cuda.matmul.allow_tf32 = False\n"
            "torch.backends.cudnn.allow_tf32 = False\n"
            "out = a @ b"
        ),
        jax_example="with jax.default_matmul_precision('highest'):\n    out = a @ b",
        inputs=(T("a", "N,K"), T("b", "K,M")),
        checks=("forward", "jit", "grad"),
        tol=Tol(
            1e-5, 1e-5, "float32 matmul: MKL and XLA sum the products in a different order"),
        notes=("allow_tf32 = True corresponds to precision 'high' (tensorfloat32); on NVIDIA GPUs XLA's "
               "default may already use TF32, torch's matmul default does not.",),
        reason="TF32 is a precision setting in JAX: jax.default_matmul_precision (context or config) or "
               "precision= per call",
    ),
    Record(
        torch="torch.nn.attention.sdpa_kernel",
        jax="jax.nn.dot_product_attention(implementation=...)",
        status="manual",
        aliases=("torch.backends.cuda.sdp_kernel", "torch.backends.cuda.enable_flash_sdp",
                 "torch.backends.cuda.enable_mem_efficient_sdp", "torch.backends.cuda.enable_math_sdp"),
        torch_example=(
            "from torch.nn.attention import SDPBackend, sdpa_kernel\n"
            "with sdpa_kernel(SDPBackend.MATH):\n"
            "    out = F.scaled_dot_product_attention(q, k, v)"
        ),
        jax_example=(
            "out = jax.nn.dot_product_attention(q.swapaxes(-2, -3), k.swapaxes(-2, -3), v.swapaxes(-2, -3), "
            "implementation='xla').swapaxes(-2, -3)"
        ),
        inputs=(T("q", "B,N,T,H"), T("k", "B,N,S,H"), T("v", "B,N,S,H")),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "float32 matmul: MKL and XLA sum the products in a different order"),
        notes=("The kernel is chosen per call: implementation='xla' is torch's MATH backend, 'cudnn' its "
               "flash / efficient kernels on NVIDIA GPUs (float16 / bfloat16 only), None lets JAX pick.",
               "torch.backends.cuda.enable_flash_sdp(False) and its siblings are global switches: in JAX pass "
               "implementation= at the calls instead. Layouts differ as in F.scaled_dot_product_attention."),
        reason="the attention kernel is an argument of jax.nn.dot_product_attention, not a global or a context",
    ),
    Record(
        torch="torch.backends.mps.is_available",
        jax="jax.default_backend",
        status="manual",
        torch_example="out = torch.backends.mps.is_available()",
        jax_example="out = jax.default_backend().lower() == 'metal'",
        checks=("forward",),
        notes=("Apple GPUs are reached through the jax-metal plugin (experimental), whose platform is "
               "'METAL'; without it JAX runs on the CPU.",),
        reason="JAX reaches Apple GPUs only through the jax-metal plugin: ask jax.default_backend()",
    ),
    Record(
        torch="torch.serialization.safe_globals",
        jax="flax.serialization (msgpack: no pickle, nothing to allow)",
        status="manual",
        aliases=("torch.serialization.add_safe_globals",),
        torch_example=(
            "import argparse, io\n"
            "buf = io.BytesIO()\n"
            "torch.save({'w': w, 'args': argparse.Namespace(lr=0.5)}, buf)\n"
            "buf.seek(0)\n"
            "with torch.serialization.safe_globals([argparse.Namespace]):\n"
            "    ckpt = torch.load(buf, weights_only=True)\n"
            "out = (ckpt['w'], ckpt['args'].lr)"
        ),
        jax_example=(
            "from flax import serialization\n"
            "data = serialization.msgpack_serialize({'w': np.asarray(w), 'args': {'lr': 0.5}})\n"
            "ckpt = serialization.msgpack_restore(data)\n"
            "out = (ckpt['w'], ckpt['args']['lr'])"
        ),
        inputs=(T("w", "N,M", grad=False),),
        checks=("forward",),
        why_not={"grad": "a save/load round trip: the loaded tensors are new leaves, with no gradient path"},
        notes=("torch.load(weights_only=True) refuses pickled classes not allow-listed; JAX checkpoint "
               "formats (orbax, msgpack) store arrays and plain containers only, so options are saved as "
               "dicts (vars(args)).",),
        reason="JAX checkpoints hold pytrees of arrays and plain values, never pickled objects: save "
               "vars(args) instead of the Namespace, and there is nothing to allow-list",
    ),
    Record(
        torch="torch.hub.load",
        jax="import the model's code and load its weights",
        status="manual",
        aliases=("torch.hub.list",),
        torch_example=(
            "import os, tempfile\n"
            "with tempfile.TemporaryDirectory() as d:\n" + _HUBCONF +
            "    m = torch.hub.load(d, 'tiny', source='local', scale=1.5)\n"
            "out = m(x)"
        ),
        jax_example=(
            "out = jnp.clip(x, -1.5, 1.5)  # the model, written in JAX (or imported from its package)"
        ),
        inputs=(T("x", "N,C", low=-3, high=3),),
        checks=("forward", "jit", "grad"),
        notes=("torch.hub fetches a GitHub repository and runs its hubconf.py; the example uses a local "
               "directory (source='local') to stay offline. A JAX model comes from its package "
               "(pip install ...) or from the Hugging Face hub (Flax weights, or torch weights converted "
               "with mapping.convert).",
               "torch.hub.list(github) lists the entry points of a repository's hubconf.py (it needs the "
               "network, so the example does not call it): in JAX, the constructors the package documents."),
        reason="there is no hub of JAX models in JAX itself: install the model's package (or write the "
               "architecture in nnx) and load converted weights",
    ),
    Record(
        torch="torch.hub.load_state_dict_from_url",
        jax="download, then convert the state dict (mapping.convert)",
        status="manual",
        aliases=("torch.utils.model_zoo.load_url",),
        torch_example=(
            "import os, tempfile, pathlib\n"
            "src = nn.Linear(4, 3)\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    torch.save(src.state_dict(), os.path.join(d, 'w.pth'))\n"
            "    url = pathlib.Path(d, 'w.pth').as_uri()\n"
            "    m = nn.Linear(4, 3)\n"
            "    m.load_state_dict(torch.hub.load_state_dict_from_url(url, model_dir=os.path.join(d, 'cache')))\n"
            "out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd)  # sd: the downloaded state dict\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("Download the file (urllib.request.urlretrieve, or huggingface_hub.hf_hub_download), read it "
               "once with torch.load (or safetensors.numpy.load_file for .safetensors) and convert the "
               "arrays into the nnx module.",),
        reason="the weights of a torch checkpoint are converted into the nnx module (mapping.convert); "
               "caching the download is the application's business",
    ),
    Record(
        torch="torch.profiler.profile",
        jax="jax.profiler.trace",
        status="manual",
        aliases=("torch.autograd.profiler.profile",),
        torch_example=(
            "from torch.profiler import profile, ProfilerActivity\n"
            "with profile(activities=[ProfilerActivity.CPU]) as prof:\n"
            "    y = x @ x.T\n"
            "out = (y, len(prof.key_averages()) > 0)"
        ),
        jax_example=(
            "import tempfile\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    with jax.profiler.trace(d):\n"
            "        y = jax.block_until_ready(x @ x.T)\n"
            "out = (y, True)  # open the trace in TensorBoard / Perfetto"
        ),
        inputs=(T("x", "N,K"),),
        checks=("forward", "grad"),
        notes=("jax.profiler.trace(log_dir) writes a trace viewable in TensorBoard's profile plugin or "
               "Perfetto (create_perfetto_link=True); jax.profiler.start_server(port) profiles a running "
               "program on demand.",),
        reason="profiling is a context around the steps to trace (jax.profiler.trace); block on the "
               "results inside it, since dispatch is asynchronous",
    ),
    Record(
        torch="torch.profiler.schedule",
        jax="start/stop the trace around chosen steps",
        status="manual",
        aliases=("torch.profiler.tensorboard_trace_handler",),
        torch_example=(
            "import tempfile\n"
            "from torch.profiler import profile, schedule, tensorboard_trace_handler\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    with profile(schedule=schedule(wait=1, warmup=1, active=2), "
            "on_trace_ready=tensorboard_trace_handler(d)) as prof:\n"
            "        for step in range(4):\n"
            "            y = x * step\n"
            "            prof.step()\n"
            "out = y"
        ),
        jax_example=(
            "import tempfile\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    for step in range(4):\n"
            "        if step == 2:  # wait 1 + warmup 1\n"
            "            jax.profiler.start_trace(d)\n"
            "        y = jax.block_until_ready(x * step)\n"
            "    jax.profiler.stop_trace()  # after the 2 active steps\n"
            "out = y"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "grad"),
        notes=("The trace directory is what tensorboard_trace_handler(dir) writes to: TensorBoard's "
               "profile plugin reads JAX traces from it.",),
        reason="the schedule is code: call jax.profiler.start_trace(dir) before the first active step and "
               "stop_trace() after the last (skip the compiling first steps)",
    ),
    Record(
        torch="torch.profiler.record_function",
        jax="jax.named_scope",
        status="manual",
        aliases=("torch.autograd.profiler.record_function",),
        torch_example="with torch.profiler.record_function('scale'):\n    out = x * 2",
        jax_example="with jax.named_scope('scale'):\n    out = x * 2",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("jax.named_scope names the operations in the compiled program (visible in the profiler "
               "and in HLO dumps); jax.profiler.TraceAnnotation marks host-side time.",),
        reason="labels in a trace come from jax.named_scope (traced code) or jax.profiler.TraceAnnotation",
    ),
    Record(
        torch="torch.Size",
        jax="tuple",
        status="manual",
        torch_example="s = torch.Size([2, n])\nout = (torch.zeros(s), s.numel())",
        jax_example="s = (2, n)\nout = (jnp.zeros(s), int(np.prod(s)))",
        inputs=(Choice("n", (0, 3)),),
        checks=("forward", "jit"),
        notes=("x.shape is a plain tuple in JAX; math.prod(shape) or x.size gives the element count.",),
        reason="shapes are tuples of ints in JAX",
    ),
    Record(
        torch="torch.onnx.export",
        jax="jax.export (StableHLO)",
        status="manual",
        torch_example=(
            "import importlib.util, io\n"
            "m = nn.Linear(3, 2)\n"
            "if importlib.util.find_spec('onnxscript'):  # torch's exporter needs the onnx and onnxscript packages\n"
            "    torch.onnx.export(m, (x,), io.BytesIO())\n"
            "out = m(x)"
        ),
        jax_example=(
            "f = jax.jit(lambda x: x @ sd['weight'].T + sd['bias'])  # the model as a function of its weights\n"
            "exported = jax.export.export(f)(x)  # the traced program, its shapes and dtypes\n"
            "text = exported.mlir_module()  # StableHLO; exported.serialize() gives the bytes to write to a file\n"
            "out = exported.call(x)  # what the exported program computes"
        ),
        inputs=(T("x", "N,3"),),
        checks=("forward",),
        why_not={"jit": "exporting is a host-side step around a jitted function, not traced code",
                 "grad": "the exported function's gradient is the model's; serialising adds nothing to compare",
                 "bf16": "export with bfloat16 arguments to get a bfloat16 program; nothing else differs"},
        notes=("The example compares what the exported JAX program computes with the torch model's output. "
               "exported.serialize() and jax.export.deserialize(bytes) need the flatbuffers package (not a "
               "dependency of this project, so the example stops before them). torch.onnx.export needs the onnx "
               "and onnxscript packages (not dependencies of this project either): the torch example exports only "
               "where they are installed.",
               "jax.export serialises a jitted function with its shapes and dtypes as StableHLO (symbolic shapes "
               "with jax.export.symbolic_shape), loadable by jax.export.deserialize from any later JAX version "
               "within the compatibility window, or by other StableHLO consumers (IREE, TensorFlow via "
               "jax2tf). JAX has no ONNX exporter of its own; third-party converters such as jax2onnx exist."),
        sig="model, args=(), f=None, **kwargs",
        reason="JAX exports programs, not modules: jit the forward pass as a function of the weights and "
               "serialise it with jax.export (StableHLO); for an ONNX file use a third-party converter "
               "(jax2onnx)",
    ),
]
