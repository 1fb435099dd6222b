"""torch.utils.data: datasets, samplers and splits. JAX has no data-loading API: data stays in numpy or
JAX arrays, indexed by permutations drawn from explicit keys (or handled by grain / tf.data).

The torch.utils.data.DataLoader records are in patterns.py (with the batching loop they imply).
"""

from mapping.record import Choice, Record, T, Tol

_NO_API = ("JAX has no dataset classes: index arrays directly (a dataset is a tuple of arrays with a "
           "common first axis), or keep the torch Dataset and convert each batch with np.asarray")
_ORDER = "The order differs (different generators); what is compared is the content and the sizes."

RECORDS = [
    Record(
        torch="torch.utils.data.Dataset",
        jax="a class with __len__ / __getitem__ (or arrays)",
        status="manual",
        aliases=("torch.utils.data.dataset.Dataset",),
        torch_example=(
            "class Squares(torch.utils.data.Dataset):\n"
            "    def __init__(self, x):\n"
            "        self.x = x\n"
            "    def __len__(self):\n"
            "        return len(self.x)\n"
            "    def __getitem__(self, i):\n"
            "        return self.x[i], self.x[i] ** 2\n"
            "ds = Squares(x)\n"
            "out = [ds[i] for i in range(len(ds))]"
        ),
        jax_example=(
            "class Squares:\n"
            "    def __init__(self, x):\n"
            "        self.x = x\n"
            "    def __len__(self):\n"
            "        return len(self.x)\n"
            "    def __getitem__(self, i):\n"
            "        return self.x[i], self.x[i] ** 2\n"
            "ds = Squares(x)\n"
            "out = [ds[i] for i in range(len(ds))]"
        ),
        inputs=(T("x", "B,3"),),
        checks=("forward", "jit", "grad"),
        notes=("A map-style dataset needs no base class in Python; vectorise __getitem__ over a batch of "
               "indices (x[idx], x[idx] ** 2) so that one batch is one array operation.",),
        reason=_NO_API,
    ),
    Record(
        torch="torch.utils.data.IterableDataset",
        jax="a Python generator",
        status="manual",
        aliases=("torch.utils.data.dataset.IterableDataset",),
        torch_example=(
            "class Stream(torch.utils.data.IterableDataset):\n"
            "    def __init__(self, x):\n"
            "        self.x = x\n"
            "    def __iter__(self):\n"
            "        return iter(self.x * 2)\n"
            "out = list(Stream(x))"
        ),
        jax_example=(
            "def stream(x):\n"
            "    yield from x * 2\n"
            "out = list(stream(x))"
        ),
        inputs=(T("x", "B,3"),),
        checks=("forward", "jit", "grad"),
        notes=("Worker sharding (get_worker_info) has no counterpart: each JAX process reads its own shard "
               "(jax.process_index()).",),
        reason="an iterable dataset is a generator; feed its batches to the jitted step",
    ),
    Record(
        torch="torch.utils.data.TensorDataset",
        jax="a tuple of arrays",
        status="manual",
        aliases=("torch.utils.data.dataset.TensorDataset",),
        torch_example=(
            "ds = torch.utils.data.TensorDataset(x, y)\n"
            "out = (ds[1], len(ds))"
        ),
        jax_example=(
            "ds = (x, y)\n"
            "out = (tuple(a[1] for a in ds), len(ds[0]))"
        ),
        inputs=(T("x", "B,3"), T("y", "B")),
        sizes=(2, 5),
        checks=("forward", "jit", "grad"),
        notes=("Batches are slices of every array: tuple(a[i:i + bs] for a in ds), or a[perm[i:i + bs]] when "
               "shuffled.",),
        reason=_NO_API,
    ),
    Record(
        torch="torch.utils.data.Subset",
        jax="array indexing",
        status="manual",
        aliases=("torch.utils.data.dataset.Subset",),
        torch_example=(
            "ds = torch.utils.data.TensorDataset(x)\n"
            "sub = torch.utils.data.Subset(ds, [2, 0, 1])\n"
            "out = torch.stack([sub[i][0] for i in range(len(sub))])"
        ),
        jax_example="out = x[jnp.array([2, 0, 1])]",
        inputs=(T("x", "B,3"),),
        sizes=(3, 5),
        checks=("forward", "jit", "grad"),
        reason="a subset is the arrays indexed by the subset's indices (x[idx]), one gather for all of them",
    ),
    Record(
        torch="torch.utils.data.ConcatDataset",
        jax="jax.numpy.concatenate",
        status="manual",
        aliases=("torch.utils.data.dataset.ConcatDataset",),
        torch_example=(
            "ds = torch.utils.data.ConcatDataset([torch.utils.data.TensorDataset(a), "
            "torch.utils.data.TensorDataset(b)])\n"
            "out = torch.stack([ds[i][0] for i in range(len(ds))])"
        ),
        jax_example="out = jnp.concatenate([a, b])",
        inputs=(T("a", "A,3"), T("b", "B,3")),
        checks=("forward", "jit", "grad"),
        reason="concatenate the arrays along the example axis (or chain generators for streams)",
    ),
    Record(
        torch="torch.utils.data.random_split",
        jax="jax.random.permutation",
        status="manual",
        aliases=("torch.utils.data.dataset.random_split",),
        torch_example=(
            "ds = torch.utils.data.TensorDataset(x)\n"
            "train, val = torch.utils.data.random_split(ds, [0.75, 0.25], "
            "generator=torch.Generator().manual_seed(0))\n"
            "tr = torch.stack([train[i][0] for i in range(len(train))])\n"
            "va = torch.stack([val[i][0] for i in range(len(val))])\n"
            "out = (len(train), len(val), torch.cat([tr, va]).sort().values)"
        ),
        jax_example=(
            "perm = jax.random.permutation(key, len(x))\n"
            "n_train = round(0.75 * len(x))\n"
            "tr, va = x[perm[:n_train]], x[perm[n_train:]]\n"
            "out = (len(tr), len(va), jnp.sort(jnp.concatenate([tr, va])))"
        ),
        inputs=(T("x", "8", unique=True),),
        checks=("forward", "jit", "grad"),
        notes=(_ORDER, "Fractions: torch floors each length and hands the remainder out one by one from the "
               "first split; for 8 examples and [0.75, 0.25] that is 6 and 2, as round() gives here."),
        reason="a random split is a permutation drawn from a key, cut at the split sizes",
    ),
    Record(
        torch="torch.utils.data.RandomSampler",
        jax="jax.random.permutation",
        status="manual",
        aliases=("torch.utils.data.sampler.RandomSampler",),
        torch_example=(
            "sampler = torch.utils.data.RandomSampler(range(n), generator=torch.Generator().manual_seed(0))\n"
            "order = torch.tensor(list(sampler))\n"
            "out = order.sort().values"
        ),
        jax_example="order = jax.random.permutation(key, n)\nout = jnp.sort(order)",
        inputs=(Choice("n", (1, 7, 30)),),
        checks=("forward", "jit"),
        notes=(_ORDER, "replacement=True becomes jax.random.randint(key, (num_samples,), 0, n)."),
        reason="a sampler is an index order: jax.random.permutation(key, n), a fresh key per epoch",
    ),
    Record(
        torch="torch.utils.data.SequentialSampler",
        jax="jax.numpy.arange",
        status="manual",
        aliases=("torch.utils.data.sampler.SequentialSampler",),
        torch_example="out = torch.tensor(list(torch.utils.data.SequentialSampler(range(n))))",
        jax_example="out = jnp.arange(n)",
        inputs=(Choice("n", (1, 7, 30)),),
        checks=("forward", "jit"),
        notes=("Indices are int64 in torch, int32 in JAX (unless x64 is enabled).",),
        reason="the sequential order is jnp.arange(n); batches are its consecutive slices",
    ),
    Record(
        torch="torch.utils.data.BatchSampler",
        jax="slices of an index array",
        status="manual",
        aliases=("torch.utils.data.sampler.BatchSampler",),
        torch_example=(
            "batches = list(torch.utils.data.BatchSampler(range(n), batch_size=3, drop_last=drop))\n"
            "out = [torch.tensor(b) for b in batches]"
        ),
        jax_example=(
            "idx = jnp.arange(n)\n"
            "stop = n - n % 3 if drop else n\n"
            "out = [idx[i:i + 3] for i in range(0, stop, 3)]"
        ),
        inputs=(Choice("n", (2, 7, 9)), Choice("drop", (False, True))),
        checks=("forward",),
        notes=("A short last batch makes a jitted step compile once more for its shape: drop it or pad it.",),
        reason="batches of indices are slices of an index array (a permutation when shuffled)",
    ),
    Record(
        torch="torch.utils.data.DistributedSampler",
        jax="a global batch sharded with jax.sharding",
        status="manual",
        aliases=("torch.utils.data.distributed.DistributedSampler",),
        torch_example=(
            "s = torch.utils.data.DistributedSampler(range(n), num_replicas=2, rank=rank, shuffle=False)\n"
            "out = torch.tensor(list(s))"
        ),
        jax_example=(
            "total = -(-n // 2) * 2  # padded to a multiple of the replicas, repeating the first examples\n"
            "out = (jnp.arange(total) % n)[rank::2]"
        ),
        inputs=(Choice("n", (4, 5, 7)), Choice("rank", (0, 1))),
        checks=("forward", "jit"),
        notes=("Shown: the indices that replica `rank` of 2 reads, padding included.",
               "In JAX one process per host loads its part of the global batch and "
               "jax.make_array_from_process_local_data(sharding, local_batch) assembles the global array; "
               "on one host, jax.device_put(global_batch, NamedSharding(mesh, P('data'))) shards it over the "
               "devices. set_epoch(e) becomes a new permutation from jax.random.fold_in(key, e)."),
        reason="data parallelism shards one global batch over the devices (jax.sharding) instead of giving "
               "each process its own sampler",
    ),
    Record(
        torch="torch.utils.data.WeightedRandomSampler",
        jax="jax.random.choice",
        status="manual",
        aliases=("torch.utils.data.sampler.WeightedRandomSampler",),
        torch_example=(
            "w = torch.tensor([1.0, 3.0, 0.0, 4.0])\n"
            "s = torch.utils.data.WeightedRandomSampler(w, num_samples=40_000, replacement=True)\n"
            "idx = torch.tensor(list(s))\n"
            "out = torch.bincount(idx, minlength=4).float() / 40_000"
        ),
        jax_example=(
            "w = jnp.array([1.0, 3.0, 0.0, 4.0])\n"
            "idx = jax.random.choice(key, 4, (40_000,), replace=True, p=w / w.sum())\n"
            "out = jnp.bincount(idx, length=4).astype(jnp.float32) / 40_000"
        ),
        checks=("forward", "jit"),
        tol=Tol(
            0.0, 0.018, "frequencies of 40,000 draws: 5 standard errors of the difference "
                        "(sqrt(2 * 0.25 / 40000) = 3.5e-3 at p = 0.5)"),
        notes=("Compared: the frequency of each index (weights 1:3:0:4); the draws themselves differ.",),
        reason="weighted sampling is jax.random.choice(key, n, (k,), p=weights / weights.sum())",
    ),
    Record(
        torch="torch.utils.data.default_collate",
        jax="jax.numpy.stack",
        status="manual",
        aliases=("torch.utils.data.dataloader.default_collate",),
        torch_example="out = torch.utils.data.default_collate([(a[i], b[i]) for i in range(len(a))])",
        jax_example="out = [jnp.stack([a[i] for i in range(len(a))]), jnp.stack([b[i] for i in range(len(b))])]",
        inputs=(T("a", "B,3"), T("b", "B")),
        checks=("forward", "jit", "grad"),
        notes=("default_collate turns a list of (x, y) samples into [stacked x, stacked y] (a list): "
               "jax.tree.map(lambda *xs: jnp.stack(xs), *samples) does the same for any nesting.",),
        reason="collation is stacking: jax.tree.map(lambda *xs: jnp.stack(xs), *samples); better, index "
               "the arrays with a batch of indices and skip per-sample lists",
    ),
    Record(
        torch="torch.utils.data.get_worker_info",
        jax="(none): one process per host",
        status="manual",
        torch_example="out = torch.utils.data.get_worker_info() is None",
        jax_example="out = jax.process_index() == 0  # shard input files by process instead of worker",
        checks=("forward",),
        reason="there are no loader workers: each JAX process reads the shard jax.process_index() of "
               "jax.process_count() (grain handles worker processes itself)",
    ),
]
