"""Patterns with no one-line rewrite: training loops, devices, RNG state, checkpoints, data loading,
parallelism, mixed precision, compilation, train/eval modes, in-place updates.

Each example runs in both frameworks and they agree; `reason` says why there is no mechanical
rewrite and what the idiomatic JAX pattern is.
"""

from mapping.record import Choice, Difference, Record, T, Tol

# A least-squares problem shared by the loop records.
LSQ = (T("X", "8,N", grad=False), T("y", "8", grad=False), T("w0", "N", grad=False))

RECORDS = [
    Record(
        torch="torch.optim.Optimizer.zero_grad",
        jax="jax.value_and_grad + optax update in a jitted step",
        variant="training_loop",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = torch.optim.SGD([w], lr=0.1)\n"
            "losses = []\n"
            "for _ in range(10):\n"
            "    opt.zero_grad()\n"
            "    loss = ((X @ w - y) ** 2).mean()\n"
            "    loss.backward()\n"
            "    opt.step()\n"
            "    losses.append(loss.detach())\n"
            "out = torch.stack(losses)"
        ),
        jax_example=(
            "opt = optax.sgd(0.1)\n"
            "def loss_fn(w):\n"
            "    return ((X @ w - y) ** 2).mean()\n"
            "@jax.jit\n"
            "def step(w, state):\n"
            "    loss, g = jax.value_and_grad(loss_fn)(w)\n"
            "    updates, state = opt.update(g, state, w)\n"
            "    return optax.apply_updates(w, updates), state, loss\n"
            "w, state, losses = w0, opt.init(w0), []\n"
            "for _ in range(10):\n"
            "    w, state, loss = step(w, state)\n"
            "    losses.append(loss)\n"
            "out = jnp.stack(losses)"
        ),
        inputs=LSQ,
        checks=("forward",),
        why_not={"grad": "a training loop: computes its own gradients, steps under no_grad; the output is detached"},
        tol=Tol(1e-5, 1e-5, "10 float32 optimisation steps"),
        notes=("There is no gradient state to zero: jax.grad returns fresh gradients each call.",),
        reason="the loop changes shape: gradients are returned by jax.value_and_grad, not stored on "
               "parameters; the optimizer state is a value threaded through a jitted step",
    ),
    Record(
        torch="torch.Tensor.to",
        jax="jax.device_put",
        variant="device",
        status="manual",
        torch_example=(
            "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\n"
            "x = x.to(device)\n"
            "out = x * 2"
        ),
        jax_example=(
            "device = jax.devices()[0]\n"
            "x = jax.device_put(x, device)\n"
            "out = x * 2"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("JAX puts new arrays on the default device (the first GPU/TPU when there is one): most "
               ".to(device) calls can simply be deleted.",
               "x.to(dtype) is a different thing: x.astype(dtype)."),
        reason="placement is not a tensor method in JAX: arrays live on jax.devices()[0] by default; "
               "jax.device_put(x, device_or_sharding) moves one explicitly, and jitted functions follow "
               "their inputs' placement",
    ),
    Record(
        torch="torch.Tensor.cuda",
        jax="nothing (default device) or jax.device_put",
        variant="device",
        status="manual",
        torch_example=(
            "if torch.cuda.is_available():\n"
            "    x = x.cuda()\n"
            "out = x * 2"
        ),
        jax_example=(
            "if jax.default_backend() == 'gpu':\n"
            "    x = jax.device_put(x, jax.devices('gpu')[0])\n"
            "out = x * 2"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("torch.cuda.is_available() -> jax.default_backend() == 'gpu' (or any(d.platform == 'gpu' "
               "for d in jax.devices())).",),
        reason="JAX already allocates on the accelerator when there is one: delete the .cuda() / .cpu() "
               "calls; jax.device_get(x) (or np.asarray(x)) brings a value back to the host",
    ),
    Record(
        torch="torch.manual_seed",
        jax="jax.random.key + jax.random.split",
        status="manual",
        torch_example=(
            "torch.manual_seed(seed)\n"
            "a = torch.randn(1000)\n"
            "torch.manual_seed(seed)\n"
            "b = torch.randn(1000)\n"
            "c = torch.randn(1000)\n"
            "out = ((a == b).all(), (a == c).all())"
        ),
        jax_example=(
            "key = jax.random.key(seed)\n"
            "a = jax.random.normal(key, (1000,))\n"
            "b = jax.random.normal(jax.random.key(seed), (1000,))\n"
            "key, sub = jax.random.split(key)\n"
            "c = jax.random.normal(sub, (1000,))\n"
            "out = ((a == b).all(), (a == c).all())"
        ),
        inputs=(Choice("seed", (0, 1234)),),
        checks=("forward", "jit"),
        notes=("Shown: the same seed gives the same numbers and the next draw gives new ones, in both. "
               "The numbers themselves differ between the frameworks (different generators).",
               "A key used twice gives the same numbers: split it for every new draw."),
        reason="JAX has no global RNG state: create a key from the seed and pass it (split) to every "
               "random call; a function that draws takes a key argument",
    ),
    Record(
        torch="torch.Generator",
        jax="jax.random.key",
        variant="randperm",
        status="manual",
        torch_example=(
            "g = torch.Generator().manual_seed(seed)\n"
            "p1 = torch.randperm(10, generator=g)\n"
            "p2 = torch.randperm(10, generator=torch.Generator().manual_seed(seed))\n"
            "out = ((p1 == p2).all(), p1.sort().values)"
        ),
        jax_example=(
            "key = jax.random.key(seed)\n"
            "p1 = jax.random.permutation(key, 10)\n"
            "p2 = jax.random.permutation(jax.random.key(seed), 10)\n"
            "out = ((p1 == p2).all(), jnp.sort(p1))"
        ),
        inputs=(Choice("seed", (0, 7)),),
        checks=("forward", "jit"),
        notes=("A torch.Generator is mutable state advanced by each draw; a JAX key is a value: split it "
               "(key, sub = jax.random.split(key)) where torch would advance the generator.",
               "The permutations differ between frameworks; both are permutations of range(10)."),
        reason="a generator object becomes an explicit key value passed to each random call and split "
               "for each new draw",
    ),
    Record(
        torch="torch.save",
        jax="orbax.checkpoint.StandardCheckpointer",
        status="manual",
        aliases=("torch.load",),
        torch_example=(
            "import os, tempfile\n"
            "state = {'w': w, 'step': torch.tensor(3)}\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    torch.save(state, os.path.join(d, 'ckpt.pt'))\n"
            "    loaded = torch.load(os.path.join(d, 'ckpt.pt'))\n"
            "out = (loaded['w'], loaded['step'])"
        ),
        jax_example=(
            "import os, tempfile\n"
            "import orbax.checkpoint as ocp\n"
            "state = {'w': w, 'step': jnp.asarray(3)}\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    ckptr = ocp.StandardCheckpointer()\n"
            "    ckptr.save(os.path.join(d, 'ckpt'), state)\n"
            "    ckptr.wait_until_finished()\n"
            "    loaded = ckptr.restore(os.path.join(d, 'ckpt'), state)\n"
            "out = (loaded['w'], loaded['step'])"
        ),
        inputs=(T("w", "N,M", grad=False),),
        checks=("forward",),
        why_not={"grad": "a save/load round trip: the loaded tensors are new leaves, with no gradient path"},
        notes=("Orbax saves a pytree of arrays to a directory (asynchronously: wait_until_finished before "
               "reading it); restore takes a target tree (or its shapes and dtypes) and returns the same "
               "structure. For an nnx module save nnx.state(model) and nnx.update(model, restored).",
               "A torch checkpoint (.pt) is read with torch.load, then converted: see mapping.convert.",
               "flax.serialization.to_bytes / from_bytes is the small synchronous alternative.",
               "Orbax refuses zero-size arrays (ValueError: Cannot save arrays with zero size), which "
               "torch.save stores: drop empty leaves or use flax.serialization."),
        reason="torch pickles arbitrary Python objects to one file; JAX checkpoints are pytrees of arrays "
               "saved with orbax.checkpoint (a directory per checkpoint), restored into a target tree",
    ),
    Record(
        torch="torch.utils.data.DataLoader",
        jax="a Python generator of numpy/jax batches",
        status="manual",
        aliases=("torch.utils.data.dataloader.DataLoader",),
        torch_example=(
            "ds = torch.utils.data.TensorDataset(X, y)\n"
            "loader = torch.utils.data.DataLoader(ds, batch_size=3, shuffle=False)\n"
            "out = [(xb, yb) for xb, yb in loader]"
        ),
        jax_example=(
            "def batches(X, y, batch_size):\n"
            "    for i in range(0, len(X), batch_size):\n"
            "        yield X[i:i + batch_size], y[i:i + batch_size]\n"
            "out = [(xb, yb) for xb, yb in batches(X, y, 3)]"
        ),
        inputs=(T("X", "B,3"), T("y", "B")),
        sizes=(1, 8),
        checks=("forward", "jit", "grad"),
        notes=("The last batch is short, as with drop_last=False; a jitted step then compiles a second "
               "time for its shape: drop it (drop_last=True) or pad it.",
               "Multi-process loading (num_workers) has no JAX counterpart: grain or tf.data, or keep the "
               "torch DataLoader and convert each batch with np.asarray."),
        reason="JAX has no data-loading API: iterate numpy arrays in batches (or use grain / tf.data); "
               "a torch DataLoader can also be kept, converting each batch with np.asarray",
    ),
    Record(
        torch="torch.utils.data.DataLoader",
        jax="jax.random.permutation + batches",
        variant="shuffle",
        status="manual",
        aliases=("torch.utils.data.dataloader.DataLoader",),
        torch_example=(
            "loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=3, shuffle=True)\n"
            "seen = torch.cat([xb for (xb,) in loader])\n"
            "out = (seen.sort().values, len(loader))"
        ),
        jax_example=(
            "perm = jax.random.permutation(key, len(x))\n"
            "batches = [x[perm[i:i + 3]] for i in range(0, len(x), 3)]\n"
            "seen = jnp.concatenate(batches)\n"
            "out = (jnp.sort(seen), len(batches))"
        ),
        inputs=(T("x", "B", unique=True),),  # no ties: sorting back gives each value its own cotangent
        sizes=(1, 10),
        checks=("forward", "jit", "grad"),
        notes=("Shown: every example is seen exactly once per epoch, in batches of 3. The order differs "
               "(different generators). Draw a new permutation per epoch from a split key.",),
        reason="shuffling is a permutation drawn from an explicit key each epoch, then batches are "
               "slices of the permuted indices",
    ),
    Record(
        torch="torch.nn.parallel.DistributedDataParallel",
        jax="jax.sharding (Mesh, NamedSharding) + jax.jit",
        status="manual",
        aliases=("torch.nn.parallel.distributed.DistributedDataParallel",),
        torch_example=(
            "import torch.distributed as dist\n"
            "dist.init_process_group('gloo', store=dist.HashStore(), rank=0, world_size=1)\n"
            "try:\n"
            "    m = torch.nn.parallel.DistributedDataParallel(nn.Linear(4, 3))\n"
            "    out = m(x)\n"
            "finally:\n"
            "    dist.destroy_process_group()"
        ),
        jax_example=(
            "from jax.sharding import Mesh, NamedSharding, PartitionSpec as P\n"
            "from mapping.convert import load_linear\n"
            "mesh = Mesh(jax.devices(), ('data',))\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd, prefix='module.')\n"
            "x = jax.device_put(x, NamedSharding(mesh, P('data')))\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "a one-process group: the collective does nothing, so a gradient check would prove nothing"},
        notes=("Runs here on one process and one device; the same code shards the batch over every "
               "device of the mesh (the batch size must divide by the number of devices). Parameters "
               "without a sharding are replicated; jax.jit inserts the gradient all-reduce that DDP's "
               "hooks do.",
               "Multi-host: jax.distributed.initialize() replaces init_process_group; each process feeds "
               "its shard (jax.make_array_from_process_local_data).",
               "DDP's state_dict prefixes keys with 'module.' (prefix= in mapping.convert)."),
        reason="no wrapper module: data parallelism is a sharding of the batch over a device Mesh "
               "(jax.device_put(batch, NamedSharding(mesh, P('data')))); jax.jit partitions the step and "
               "reduces the gradients",
    ),
    Record(
        torch="torch.nn.DataParallel",
        jax="jax.sharding (Mesh, NamedSharding) + jax.jit",
        status="manual",
        aliases=("torch.nn.parallel.DataParallel",),
        torch_example=(
            "m = nn.DataParallel(nn.Linear(4, 3))\n"
            "out = m(x)"
        ),
        jax_example=(
            "from jax.sharding import Mesh, NamedSharding, PartitionSpec as P\n"
            "from mapping.convert import load_linear\n"
            "mesh = Mesh(jax.devices(), ('data',))\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd, prefix='module.')\n"
            "x = jax.device_put(x, NamedSharding(mesh, P('data')))\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("Without GPUs torch's DataParallel just calls the module, as here; JAX shards the batch over "
               "whatever devices the mesh holds (one CPU device here).",),
        reason="no wrapper module: shard the batch over a Mesh of jax.devices() and jit the step",
    ),
    Record(
        torch="torch.autocast",
        jax="nnx modules with dtype=jnp.bfloat16, param_dtype=jnp.float32",
        status="caveat",
        aliases=("torch.amp.autocast", "torch.amp.autocast_mode.autocast"),
        torch_example=(
            "m = nn.Linear(4, 3)\n"
            "with torch.autocast('cpu', dtype=torch.bfloat16):\n"
            "    out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "m = load_linear(nnx.Linear(4, 3, dtype=jnp.bfloat16, param_dtype=jnp.float32, rngs=nnx.Rngs(0)), sd)\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        tol=Tol(2e-2, 2e-2, "bfloat16 compute on both sides (8 significant bits, ulp 7.8e-3): torch rounds "
                            "the biased product once, XLA rounds the product then the sum"),
        grad_tol=Tol(2e-2, 2e-2, "gradients of the float32 weights flow back through bfloat16 products: "
                                 "bfloat16 rounding, as in the forward"),
        notes=("Outputs are bfloat16 in both and agree within bfloat16 rounding; against float32 they "
               "differ by about 0.3% relative (measured: median 0.28%, max 1.2e-2 for outputs up to 2.8).",
               "torch's autocast picks a precision per op (matmuls/convs in bf16, softmax, norms, losses "
               "in float32). In JAX the choice is explicit per module: dtype= is the compute dtype, "
               "param_dtype= the stored (master) weights. Keep norms, softmax and the loss in float32.",
               "Gradients reach the float32 parameters in float32, like torch's master weights."),
        reason="autocast is a context that changes op precision implicitly; JAX has no such context: set "
               "dtype=jnp.bfloat16 (compute) and param_dtype=jnp.float32 (weights) on the modules, or cast "
               "inputs with .astype(jnp.bfloat16) around the matmuls",
    ),
    Record(
        torch="torch.set_float32_matmul_precision",
        jax="jax.default_matmul_precision",
        status="manual",
        torch_example="torch.set_float32_matmul_precision('highest')\nout = a @ b",
        jax_example="with jax.default_matmul_precision('highest'):\n    out = a @ b",
        inputs=(T("a", "N,K"), T("b", "K,M")),
        checks=("forward", "jit", "grad"),
        tol=Tol(1e-5, 1e-5, "float32 matmul: MKL and XLA sum the products in a different order"),
        notes=("Names: torch 'highest' -> 'highest' (alias 'float32'), 'high' -> 'high' ('tensorfloat32'), "
               "'medium' -> 'bfloat16'. On a CPU all three compute in float32 in JAX.",
               "Defaults differ on NVIDIA GPUs: torch multiplies float32 matrices in full float32 unless told "
               "otherwise, while XLA's default precision may use TF32 there; ask for 'highest' when you compare "
               "against torch.",
               "Per call: jnp.matmul(a, b, precision=lax.Precision.HIGHEST)."),
        reason="torch sets a process-wide mode; JAX takes a context (jax.default_matmul_precision), a start-up "
               "setting (jax.config.update('jax_default_matmul_precision', 'highest')) or a per-call precision=",
    ),
    Record(
        torch="torch.amp.GradScaler",
        jax="nothing for bfloat16 (loss scaling only for float16)",
        status="manual",
        aliases=("torch.GradScaler", "torch.amp.grad_scaler.GradScaler", "torch.cuda.amp.GradScaler"),
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = torch.optim.SGD([w], lr=0.1)\n"
            "scaler = torch.amp.GradScaler('cpu')\n"
            "for _ in range(5):\n"
            "    opt.zero_grad()\n"
            "    loss = ((X @ w - y) ** 2).mean()\n"
            "    scaler.scale(loss).backward()\n"
            "    scaler.step(opt)\n"
            "    scaler.update()\n"
            "out = w.detach()"
        ),
        jax_example=(
            "opt = optax.sgd(0.1)\n"
            "loss_fn = lambda w: ((X @ w - y) ** 2).mean()\n"
            "w, state = w0, opt.init(w0)\n"
            "for _ in range(5):\n"
            "    updates, state = opt.update(jax.grad(loss_fn)(w), state, w)\n"
            "    w = optax.apply_updates(w, updates)\n"
            "out = w"
        ),
        inputs=LSQ,
        checks=("forward", "jit"),
        why_not={"grad": "a training loop: computes its own gradients, steps under no_grad; the output is detached"},
        tol=Tol(1e-5, 1e-5, "5 float32 optimisation steps"),
        notes=("The scaler multiplies the loss by 2^16 and divides the gradients back (exact for powers of "
               "two), skipping steps whose gradients overflow: with float32 or bfloat16 gradients it "
               "changes nothing, as shown.",
               "float16 training needs dynamic loss scaling, which optax does not provide: scale the loss, "
               "unscale the gradients, skip non-finite steps (optax.apply_if_finite), or use the jmp "
               "library."),
        reason="bfloat16 (JAX's usual mixed precision) needs no loss scaling: drop the scaler; for float16, "
               "scale the loss by hand and wrap the optimizer in optax.apply_if_finite",
    ),
    Record(
        torch="torch.compile",
        jax="jax.jit",
        status="caveat",
        torch_example=(
            "def fn(x):\n"
            "    return torch.sin(x) ** 2 + x\n"
            "f = torch.compile(fn, backend='eager')\n"
            "out = f(x)"
        ),
        jax_example=(
            "def fn(x):\n"
            "    return jnp.sin(x) ** 2 + x\n"
            "f = jax.jit(fn)\n"
            "out = f(x)"
        ),
        inputs=(T("x", "*"),),
        sizes=(0, 4),
        checks=("forward", "jit", "grad"),
        notes=("jax.jit needs a pure function of arrays: no Python side effects, no branching on array "
               "values (use jnp.where / jax.lax.cond), no .item(); non-array arguments go in "
               "static_argnums. torch.compile falls back to Python at graph breaks, jax.jit raises.",
               "It compiles once per input shape and dtype (like dynamic=False): pad or bucket varying "
               "shapes.",
               "For nnx modules: nnx.jit, or split/merge with jax.jit. backend/mode/fullgraph have no "
               "counterpart (XLA decides).",
               "The example uses backend='eager' (graph capture without code generation) to keep the test "
               "fast; the default inductor backend generates fused code for the same graph, which may round "
               "differently."),
        sig="model=None, *, fullgraph=False, dynamic=None, backend=None, mode=None, options=None, name=None, "
            "disable=False, recompile_limit=None, isolate_recompiles=False, shapes_spec=None",
        template="jax.jit({model})",
        unsupported_args={"disable": "disable=True: call the function directly"},
    ),
    Record(
        torch="torch.nn.Module.eval",
        jax="flax.nnx.Module.eval",
        status="manual",
        torch_example=(
            "m = nn.Sequential(nn.Linear(4, 3), nn.Dropout(0.5))\n"
            "m.eval()\n"
            "out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "rngs = nnx.Rngs(0)\n"
            "m = nnx.Sequential(nnx.Linear(4, 3, rngs=rngs), nnx.Dropout(0.5, rngs=rngs))\n"
            "load_linear(m.layers[0], sd, prefix='0.')\n"
            "m.eval()\n"
            "out = m(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("nnx's Module.eval() sets deterministic=True (Dropout) and use_running_average=True "
               "(BatchNorm) on every submodule; Module.train() sets them back. Both exist in flax 0.12.",
               "Under nnx.jit the mode is part of the module's static structure: switching recompiles once "
               "per mode."),
        reason="the flag lives on the nnx modules (deterministic / use_running_average); model.eval() "
               "is the same call in nnx, or pass deterministic=True to each call",
    ),
    Record(
        torch="torch.nn.Module.train",
        jax="flax.nnx.Module.train",
        status="manual",
        torch_example=(
            "m = nn.Dropout(rate)\n"
            "m.train()\n"
            "y = m(torch.ones(100_000))\n"
            "out = ((y == 0).float().mean(), y.mean())"
        ),
        jax_example=(
            "m = nnx.Dropout(rate, rngs=nnx.Rngs(0))\n"
            "m.train()\n"
            "y = m(jnp.ones(100_000))\n"
            "out = ((y == 0).astype(jnp.float32).mean(), y.mean())"
        ),
        inputs=(Choice("rate", (0.1, 0.5)),),
        checks=("forward", "jit"),
        tol=Tol(0.0, 0.016, "statistics of 100k dropout draws: 5 standard errors of the zero fraction "
                            "(1.6e-3 at rate 0.5) and of the mean (3.2e-3)"),
        notes=("Masks differ (different generators): the example compares the fraction dropped and the "
               "mean (inverted dropout keeps the mean at 1 in both).",
               "nnx Dropout draws from its Rngs stream ('dropout'): pass rngs=nnx.Rngs(dropout=key)."),
        reason="training mode is a flag on the nnx modules: model.train() sets deterministic=False on "
               "Dropout and use_running_average=False on BatchNorm; dropout then needs an Rngs stream",
    ),
    Record(
        torch="torch.inference_mode",
        jax="nothing (or jax.lax.stop_gradient)",
        status="manual",
        torch_example=(
            "m = nn.Linear(4, 3)\n"
            "with torch.inference_mode():\n"
            "    out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_linear\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd)\n"
            "out = jax.lax.stop_gradient(m(x))"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        zero_grad="inference mode records no graph: the gradient is 0 in both (stop_gradient in JAX)",
        notes=("Shown with stop_gradient so that the gradient check sees the same (zero) gradients; "
               "outside a differentiated function JAX needs nothing at all.",),
        reason="JAX records no graph unless a transformation asks for derivatives: drop the context; inside "
               "a differentiated function use jax.lax.stop_gradient",
    ),
    Record(
        torch="torch.optim.Optimizer.step",
        jax="optax.MultiSteps",
        variant="gradient_accumulation",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = torch.optim.Adam([w], lr=0.1)\n"
            "traj = []\n"
            "for i, (xb, yb) in enumerate(zip(X, Y)):\n"
            "    loss = ((xb @ w - yb) ** 2).mean() / 4\n"
            "    loss.backward()\n"
            "    if (i + 1) % 4 == 0:\n"
            "        opt.step()\n"
            "        opt.zero_grad()\n"
            "        traj.append(w.detach().clone())\n"
            "out = torch.stack(traj)"
        ),
        jax_example=(
            "opt = optax.MultiSteps(optax.adam(0.1), every_k_schedule=4)\n"
            "loss_fn = lambda w, xb, yb: ((xb @ w - yb) ** 2).mean()\n"
            "w, state = w0, opt.init(w0)\n"
            "traj = []\n"
            "for i, (xb, yb) in enumerate(zip(X, Y)):\n"
            "    updates, state = opt.update(jax.grad(loss_fn)(w, xb, yb), state, w)\n"
            "    w = optax.apply_updates(w, updates)\n"
            "    if (i + 1) % 4 == 0:\n"
            "        traj.append(w)\n"
            "out = jnp.stack(traj)"
        ),
        inputs=(T("X", "8,B,N", grad=False), T("Y", "8,B", grad=False), T("w0", "N", grad=False)),
        checks=("forward", "jit"),
        why_not={"grad": "a training loop: computes its own gradients, steps under no_grad; the output is detached"},
        tol=Tol(1e-5, 1e-5, "8 float32 micro-batch gradients and 2 Adam steps: rounding accumulates"),
        notes=("optax.MultiSteps averages k gradients (use_grad_mean=True), like dividing the loss by k "
               "in torch, and returns zero updates in between; the inner optimizer steps once per k.",
               "optax.apply_every(k) is not gradient accumulation: it sums k *updates* already transformed "
               "by the optimizer, so Adam's moments still advance every micro-batch (see the Difference)."),
        differences=(
            Difference(
                note="optax.apply_every sums k optimizer updates; torch accumulation sums k gradients",
                torch=(
                    "w = torch.nn.Parameter(torch.zeros(2))\n"
                    "opt = torch.optim.Adam([w], lr=0.1)\n"
                    "for i, g in enumerate([1.0, -0.5, 2.0, 0.1] * 5):\n"
                    "    (w * torch.tensor([g, 2 * g])).sum().div(4).backward()\n"
                    "    if (i + 1) % 4 == 0:\n"
                    "        opt.step()\n"
                    "        opt.zero_grad()\n"
                    "out = w.detach()"
                ),
                jax=(
                    "opt = optax.chain(optax.adam(0.1), optax.apply_every(4))\n"
                    "w, state = jnp.zeros(2), opt.init(jnp.zeros(2))\n"
                    "for g in [1.0, -0.5, 2.0, 0.1] * 5:\n"
                    "    updates, state = opt.update(jnp.array([g, 2 * g]), state, w)\n"
                    "    w = optax.apply_updates(w, updates)\n"
                    "out = w"
                ),
                min_diff=0.1,
            ),
        ),
        reason="gradients are not accumulated in .grad: wrap the optimizer in optax.MultiSteps(opt, "
               "every_k_schedule=k) and call update every micro-batch, or sum gradients in a "
               "jax.lax.scan over micro-batches and update once",
    ),
    Record(
        torch="torch.Tensor.__setitem__",
        jax="jax.Array.at[].set",
        torch_example=(
            "y = x * 1.0\n"
            "y[idx] = v\n"
            "y[:, 0::2] = w\n"
            "y[-1] = 0.5\n"
            "y[1] += v\n"
            "y[2:, 1] *= 2.0\n"
            "out = y"
        ),
        jax_example=(
            "y = x * 1.0\n"
            "y = y.at[idx].set(v)\n"
            "y = y.at[:, 0::2].set(w)\n"
            "y = y.at[-1].set(0.5)\n"
            "y = y.at[1].set(y[1] + v)\n"
            "y = y.at[2:, 1].set(y[2:, 1] * 2.0)\n"
            "out = y"
        ),
        inputs=(T("x", "4,6"), T("idx", "2", dtype="int64", low=0, high=4, unique=True), T("v", "6"), T("w", "4,3")),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("x[i] = v as a statement, where x is a local name always bound to a new tensor that no other "
               "name holds or views (a torch.zeros table filled slice by slice): --fix writes x = x.at[i].set(v). "
               "Elsewhere torch's change reaches the other names, so the finding stays manual with the reason.",
               "x[i] += v reads x[i] and writes the sum back, also with repeated indices (one of the writes is "
               "kept, in both): x.at[i].set(x[i] + v), not .at[i].add(v), which adds every repeat.",
               "A boolean mask index works outside jax.jit; under jit JAX needs a static number of True "
               "elements (NonConcreteBooleanIndexError): use jnp.where(mask, v, x) there. Setting floats into "
               "an integer array truncates in both (JAX warns)."),
    ),
    Record(
        torch="torch.Tensor.__setitem__",
        jax="jax.Array.at[].set",
        variant="at_set",
        status="manual",
        torch_example=(
            "y = x.clone()\n"
            "y[idx] = v\n"
            "out = y"
        ),
        jax_example=(
            "y = x.at[idx].set(v)\n"
            "out = y"
        ),
        inputs=(T("x", "8"), T("idx", "K", dtype="int64", low=0, high=8, unique=True), T("v", "K")),
        checks=("forward", "jit", "grad", "bf16"),
        notes=("JAX arrays are immutable: x.at[idx].set(v) returns a new array (in place under jit when x "
               "is not used afterwards). .add / .mul / .min / .max cover x[idx] += v and friends.",
               "With repeated indices torch keeps an unspecified one of the writes; JAX too (unique "
               "indices here). Out-of-bounds indices are dropped by .at[].set in JAX (mode='drop' for "
               "scatter) where torch raises."),
        reason="in-place mutation: rewrite the statement x[idx] = v as x = x.at[idx].set(v)",
    ),
    Record(
        torch="torch.Tensor.item",
        jax="jax.lax.cond / jnp.where",
        variant="jit",
        status="manual",
        torch_example=(
            "if x.sum().item() > 0:\n"
            "    y = x * 2\n"
            "else:\n"
            "    y = -x\n"
            "out = y"
        ),
        jax_example="out = jax.lax.cond(x.sum() > 0, lambda x: x * 2, lambda x: -x, x)",
        inputs=(T("x", "N"),),
        checks=("forward", "jit", "grad"),
        notes=("Under jax.jit, .item() / float() / bool() on a traced value raise "
               "ConcretizationTypeError: the value is not known while tracing.",
               "Logging a value: return it from the jitted function, or jax.debug.print inside."),
        reason="a Python branch on a device value cannot be traced: use jax.lax.cond / jnp.where "
               "(jax.lax.while_loop for loops), or move the .item() outside the jitted function",
    ),
    Record(
        torch="torch.optim.Optimizer.state_dict",
        jax="optax state pytree + orbax.checkpoint",
        status="manual",
        aliases=("torch.optim.Optimizer.load_state_dict",),
        torch_example=(
            "import os, tempfile\n"
            "w = torch.nn.Parameter(w0.clone())\n"
            "opt = torch.optim.Adam([w], lr=0.1)\n"
            "for g in grads[:3]:\n"
            "    w.grad = g.clone()\n"
            "    opt.step()\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    torch.save({'w': w.detach(), 'opt': opt.state_dict()}, os.path.join(d, 'ckpt.pt'))\n"
            "    ckpt = torch.load(os.path.join(d, 'ckpt.pt'))\n"
            "w = torch.nn.Parameter(ckpt['w'].clone())\n"
            "opt = torch.optim.Adam([w], lr=0.1)\n"
            "opt.load_state_dict(ckpt['opt'])\n"
            "for g in grads[3:]:\n"
            "    w.grad = g.clone()\n"
            "    opt.step()\n"
            "out = w.detach()"
        ),
        jax_example=(
            "import os, tempfile\n"
            "import orbax.checkpoint as ocp\n"
            "opt = optax.adam(0.1)\n"
            "w, state = w0, opt.init(w0)\n"
            "for g in grads[:3]:\n"
            "    updates, state = opt.update(g, state, w)\n"
            "    w = optax.apply_updates(w, updates)\n"
            "with tempfile.TemporaryDirectory() as d:\n"
            "    ckptr = ocp.StandardCheckpointer()\n"
            "    ckptr.save(os.path.join(d, 'ckpt'), {'w': w, 'opt': state})\n"
            "    ckptr.wait_until_finished()\n"
            "    ckpt = ckptr.restore(os.path.join(d, 'ckpt'), {'w': w, 'opt': state})\n"
            "w, state = ckpt['w'], ckpt['opt']\n"
            "for g in grads[3:]:\n"
            "    updates, state = opt.update(g, state, w)\n"
            "    w = optax.apply_updates(w, updates)\n"
            "out = w"
        ),
        inputs=(T("w0", "N", grad=False), T("grads", "6,N", grad=False)),
        checks=("forward",),
        why_not={"grad": "a save/load round trip: the loaded tensors are new leaves, with no gradient path"},
        tol=Tol(1e-5, 1e-5, "6 float32 Adam steps: rounding accumulates"),
        notes=("Resuming from the checkpoint continues the same trajectory in both (Adam's moments and "
               "step count are restored).",
               "The optax state is a pytree (tuples of NamedTuples of arrays): save it with the parameters; "
               "restoring with the freshly initialised state as target gives back the same structure."),
        reason="optimizer state is not an object with a state_dict: it is the optax state pytree returned "
               "by opt.init / opt.update, checkpointed with the parameters (orbax) and passed back in",
    ),
]
