"""Devices: torch.device, torch.accelerator and the torch.cuda calls of a training script.

JAX places every new array on its default device (the first GPU or TPU when there is one) and keeps
work asynchronous, so most of these calls are deleted or become jax.devices() / jax.device_put /
block_until_ready. The examples guard GPU-only calls as scripts do (`if torch.cuda.is_available()`),
so they run on a CPU-only torch as well.
"""

from mapping.record import Choice, Record, T, Tol

_DEFAULT = ("JAX allocates on jax.devices()[0] (the accelerator when there is one): a device object is rarely "
            "needed; jax.device_put(x, device) places one array, a Sharding places it over several")
_BUILD = ("Each framework answers for its own build: a CPU-only jaxlib reports no GPU on a GPU machine where a "
          "CUDA torch reports one (install jax[cuda12] for the GPU backend), and the reverse.")
_SEED = ("JAX has no global (or per-device) generator: one key drives every device, and jax.random gives the "
         "same numbers on CPU, GPU and TPU for the same key")


def _memory(name: str, key: str) -> Record:
    """torch.cuda.<memory counter>() -> the device's memory_stats() (None on CPU)."""
    return Record(
        torch=f"torch.cuda.{name}",
        jax="jax.Device.memory_stats",
        status="manual",
        torch_example=f"out = torch.cuda.{name}() if torch.cuda.is_available() else 0",
        jax_example=(
            "stats = jax.devices()[0].memory_stats()  # None on CPU\n"
            f"out = stats.get('{key}', 0) if stats else 0"
        ),
        checks=("forward",),
        notes=(f"memory_stats() keys on GPU: 'bytes_in_use', 'peak_bytes_in_use', 'bytes_reserved', "
               f"'bytes_limit'; torch.cuda.{name} corresponds to '{key}'.",
               "XLA preallocates 75% of GPU memory at start-up (XLA_PYTHON_CLIENT_PREALLOCATE=false to "
               "allocate on demand), so 'bytes_reserved' is not comparable to torch's caching allocator.", _BUILD),
        reason="memory counters are per device in JAX: jax.devices()[0].memory_stats() returns a dict "
               "(None on CPU); the profiler (jax.profiler.device_memory_profile) gives the full picture",
    )


RECORDS = [
    Record(
        torch="torch.device",
        jax="jax.devices",
        status="manual",
        torch_example=(
            "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\n"
            "out = torch.ones(3, device=device) * x.to(device).sum()"
        ),
        jax_example=(
            "device = jax.devices()[0]\n"
            "out = jax.device_put(jnp.ones(3), device) * x.sum()"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("jax.devices() lists the devices of the default backend; jax.devices('cpu') the host's CPU. "
               "A jax Device has .platform ('cpu', 'gpu', 'tpu') and .id where torch.device has .type and "
               ".index.", "device= arguments of creation functions are dropped: arrays are created on the "
               "default device (or inside jax.default_device(d))."),
        reason=_DEFAULT,
    ),
    Record(
        torch="torch.accelerator.is_available",
        jax="jax.default_backend",
        status="caveat",
        torch_example="out = torch.accelerator.is_available()",
        jax_example="out = jax.default_backend() != 'cpu'",
        checks=("forward",),
        notes=("jax.default_backend() is 'gpu', 'tpu' or 'cpu'.", _BUILD),
        sig="",
        template="jax.default_backend() != 'cpu'",
    ),
    Record(
        torch="torch.accelerator.current_accelerator",
        jax="jax.devices",
        status="manual",
        torch_example="acc = torch.accelerator.current_accelerator()\nout = acc is not None",
        jax_example="acc = jax.devices()[0] if jax.default_backend() != 'cpu' else None\nout = acc is not None",
        checks=("forward",),
        notes=("torch returns a torch.device ('cuda', 'mps', 'xpu') or None; JAX's default device is the "
               "accelerator whenever one is present.", _BUILD),
        reason="the accelerator is JAX's default device: jax.devices()[0] (its .platform says which kind)",
    ),
    Record(
        torch="torch.accelerator.device_count",
        jax="jax.local_device_count",
        status="caveat",
        torch_example="out = torch.accelerator.device_count()",
        jax_example="out = sum(d.platform != 'cpu' for d in jax.local_devices())",
        checks=("forward",),
        notes=("jax.local_device_count() counts this process's devices of the default backend (CPU devices "
               "on a CPU-only machine, where torch says 0): count by platform to match torch.", _BUILD),
        sig="",
        template="sum(d.platform != 'cpu' for d in jax.local_devices())",
    ),
    Record(
        torch="torch.accelerator.set_device_index",
        jax="jax.default_device",
        status="manual",
        aliases=("torch.cuda.set_device",),
        torch_example=(
            "if torch.accelerator.is_available():\n"
            "    torch.accelerator.set_device_index(0)\n"
            "out = x * 2"
        ),
        jax_example=(
            "with jax.default_device(jax.devices()[0]):\n"
            "    out = x * 2"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("torch.cuda.set_device(local_rank) in a one-process-per-GPU script has no JAX counterpart: "
               "one JAX process drives all of its host's devices.",),
        reason="JAX has no current-device state: wrap code in `with jax.default_device(d):`, place arrays "
               "with jax.device_put, or (the usual case) shard over all devices with jax.sharding",
    ),
    Record(
        torch="torch.cuda.synchronize",
        jax="jax.block_until_ready",
        status="manual",
        aliases=("torch.accelerator.synchronize",),
        torch_example=(
            "y = x @ x.T\n"
            "if torch.cuda.is_available():\n"
            "    torch.cuda.synchronize()\n"
            "out = y"
        ),
        jax_example="y = jax.block_until_ready(x @ x.T)\nout = y",
        inputs=(T("x", "N,K"),),
        checks=("forward", "jit", "grad"),
        notes=("JAX dispatches asynchronously on every backend (CPU included): time a step with "
               "jax.block_until_ready(out) (or out.block_until_ready()) before reading the clock.",),
        reason="there is no device-wide barrier call: block on the values you need "
               "(jax.block_until_ready(tree)); converting to numpy also waits",
    ),
    Record(
        torch="torch.cuda.manual_seed",
        jax="jax.random.key",
        status="manual",
        aliases=("torch.cuda.manual_seed_all",),
        torch_example=(
            "torch.manual_seed(seed)\n"
            "torch.cuda.manual_seed_all(seed)\n"
            "a = torch.rand(1000)\n"
            "torch.manual_seed(seed)\n"
            "torch.cuda.manual_seed_all(seed)\n"
            "b = torch.rand(1000)\n"
            "out = ((a == b).all(), a.mean())"
        ),
        jax_example=(
            "key = jax.random.key(seed)\n"
            "a = jax.random.uniform(key, (1000,))\n"
            "b = jax.random.uniform(jax.random.key(seed), (1000,))\n"
            "out = ((a == b).all(), a.mean())"
        ),
        inputs=(Choice("seed", (0, 42)),),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.065, "two means of 1000 uniform draws: 5 standard errors of their difference "
                            "(sqrt(2) * 0.289 / sqrt(1000) = 1.3e-2)"),
        notes=("Shown: the same seed repeats the draws in both; the numbers themselves differ (different "
               "generators), so only their mean is compared.",),
        reason=_SEED,
    ),
    Record(
        torch="torch.cuda.is_bf16_supported",
        jax="jax.default_backend",
        status="manual",
        torch_example=(
            "bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()\n"
            "dtype = torch.bfloat16 if bf16 else torch.float32\n"
            "out = x.to(dtype).float()"
        ),
        jax_example=(
            "bf16 = jax.default_backend() in ('gpu', 'tpu')\n"
            "dtype = jnp.bfloat16 if bf16 else jnp.float32\n"
            "out = x.astype(dtype).astype(jnp.float32)"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("XLA computes bfloat16 on every backend (emulated in float32 on GPUs before Ampere and on most "
               "CPUs): the question is whether it is fast, which is true on TPUs and on Ampere or newer GPUs "
               "(jax.devices()[0].compute_capability >= '8.0').", _BUILD),
        reason="JAX accepts bfloat16 everywhere; choose the compute dtype from the backend "
               "(jax.default_backend()) and the GPU generation (device.compute_capability)",
    ),
    Record(
        torch="torch.nn.Module.cuda",
        jax="nothing (default device)",
        status="manual",
        aliases=("torch.nn.Module.cpu",),
        torch_example=(
            "m = nn.Linear(4, 3)\n"
            "if torch.cuda.is_available():\n"
            "    m = m.cuda()\n"
            "out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd)  # already on the default device\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("To place a module's weights explicitly: nnx.update(model, jax.device_put(nnx.state(model), "
               "device_or_sharding)).",),
        reason="an nnx module's parameters are created on the default device (the accelerator): delete "
               "model.cuda() / model.to(device); jax.device_put on nnx.state(model) moves them explicitly",
    ),
    Record(
        torch="torch.Tensor.cpu",
        jax="jax.device_get",
        status="manual",
        torch_example="out = x.detach().cpu().numpy()",
        jax_example="out = jax.device_get(x)  # a numpy array on the host",
        inputs=(T("x", "*"),),
        checks=("forward",),
        notes=("np.asarray(x) does the same; both wait for the value to be computed. Inside jax.jit there is "
               "no host copy: return the value and read it outside.",),
        reason="x.cpu() is usually a step towards numpy: jax.device_get(x) or np.asarray(x); to keep a JAX "
               "array but move it, jax.device_put(x, jax.devices('cpu')[0])",
    ),
    Record(
        torch="torch.cuda.empty_cache",
        jax="jax.clear_caches",
        status="manual",
        torch_example=(
            "y = x * 2\n"
            "if torch.cuda.is_available():\n"
            "    torch.cuda.empty_cache()\n"
            "out = y"
        ),
        jax_example="y = x * 2  # XLA frees a buffer when its last array is deleted: nothing to call\nout = y",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("jax.clear_caches() drops compiled functions, not array memory.",),
        reason="XLA's allocator returns memory when arrays are garbage collected (`del x`, or "
               "x.delete()); there is no cache to empty. XLA_PYTHON_CLIENT_PREALLOCATE=false / "
               "XLA_PYTHON_CLIENT_MEM_FRACTION control how much GPU memory it takes",
    ),
    _memory("memory_allocated", "bytes_in_use"),
    _memory("max_memory_allocated", "peak_bytes_in_use"),
    _memory("memory_reserved", "bytes_reserved"),
    Record(
        torch="torch.cuda.reset_peak_memory_stats",
        jax="jax.Device.memory_stats",
        status="manual",
        torch_example=(
            "if torch.cuda.is_available():\n"
            "    torch.cuda.reset_peak_memory_stats()\n"
            "out = x * 2"
        ),
        jax_example="stats_before = jax.devices()[0].memory_stats()  # peaks are not resettable\nout = x * 2",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("Measure a step's peak with the difference of 'peak_bytes_in_use' only if it grows, or with "
               "jax.profiler.device_memory_profile().",),
        reason="XLA's peak counter cannot be reset: compare memory_stats() snapshots or profile the step",
    ),
    Record(
        torch="torch.cuda.current_device",
        jax="jax.devices",
        status="manual",
        torch_example="out = torch.cuda.current_device() if torch.cuda.is_available() else 0",
        jax_example="out = jax.devices()[0].id",
        checks=("forward",),
        notes=("A jax Device's .id is its global index; .local_hardware_id the index on its host.", _BUILD),
        reason="there is no current device: the default is jax.devices()[0]; code that indexes devices by "
               "rank usually becomes a sharding over all of them",
    ),
    Record(
        torch="torch.cuda.get_device_capability",
        jax="jax.Device.compute_capability",
        status="manual",
        torch_example=(
            "cap = torch.cuda.get_device_capability() if torch.cuda.is_available() else None\n"
            "out = cap is not None and cap >= (8, 0)"
        ),
        jax_example=(
            "d = jax.devices()[0]\n"
            "cap = tuple(map(int, d.compute_capability.split('.'))) if d.platform == 'gpu' else None\n"
            "out = cap is not None and cap >= (8, 0)"
        ),
        checks=("forward",),
        notes=("A GPU Device has .compute_capability as a string ('8.0') and .device_kind ('NVIDIA H100 80GB "
               "HBM3'); CPU and TPU devices have no compute_capability.", _BUILD),
        reason="the capability is an attribute of the jax Device (GPU only), not a module function",
    ),
    Record(
        torch="torch.cuda.Event",
        jax="time.perf_counter + block_until_ready",
        status="manual",
        torch_example=(
            "import time\n"
            "if torch.cuda.is_available():\n"
            "    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)\n"
            "    start.record()\n"
            "    y = x @ x.T\n"
            "    end.record()\n"
            "    torch.cuda.synchronize()\n"
            "    elapsed = start.elapsed_time(end) / 1000\n"
            "else:\n"
            "    t0 = time.perf_counter()\n"
            "    y = x @ x.T\n"
            "    elapsed = time.perf_counter() - t0\n"
            "out = (y, elapsed >= 0)"
        ),
        jax_example=(
            "import time\n"
            "t0 = time.perf_counter()\n"
            "y = jax.block_until_ready(x @ x.T)\n"
            "elapsed = time.perf_counter() - t0\n"
            "out = (y, elapsed >= 0)"
        ),
        inputs=(T("x", "N,K"),),
        checks=("forward", "grad"),
        notes=("Time jitted functions after a first (compiling) call; jax.profiler.trace gives per-kernel "
               "device times.",),
        reason="JAX has no CUDA events: block on the result (block_until_ready) and use the host clock, or "
               "the profiler for device-side times",
    ),
]
