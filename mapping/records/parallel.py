"""Collectives, process groups and parallel wrappers (torch.distributed, torch.nn.parallel, FSDP).

torch runs one process per GPU and communicates explicitly; JAX runs one process per host, shards
arrays over a device Mesh, and lets jax.jit insert the communication (or states it with jax.lax
collectives inside jax.shard_map). The torch examples run on a one-process gloo group.
"""

from mapping.record import Record, T

_GROUP = ("import torch.distributed as dist\n"
          "dist.init_process_group('gloo', store=dist.HashStore(), rank=0, world_size=1)\n"
          "try:\n")
_END = "\nfinally:\n    dist.destroy_process_group()"
_MESH = "from jax.sharding import Mesh, PartitionSpec as P\nmesh = Mesh(jax.devices(), ('data',))\n"
_SPMD = ("inside jax.shard_map a collective is jax.lax.{op} over a mesh axis name; outside it, jax.jit on "
         "sharded arrays inserts the communication itself")


def _indent(code: str) -> str:
    return "".join("    " + line + "\n" for line in code.splitlines()).rstrip("\n")


def _collective(name: str, torch_body: str, op: str, jax_fn: str, notes: tuple = ()) -> Record:
    return Record(
        torch=f"torch.distributed.{name}",
        jax=f"jax.lax.{op}",
        status="manual",
        torch_example=_GROUP + _indent(torch_body) + _END,
        jax_example=_MESH + f"out = jax.shard_map({jax_fn}, mesh=mesh, in_specs=P('data'), out_specs=P('data'))(x)",
        inputs=(T("x", "N,C", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "a one-process group: the collective does nothing, so a gradient check would prove nothing"},
        notes=("Shown on one process / one device, where the collective returns its input; the same JAX code "
               "runs over every device of the mesh.",
               "torch's collectives are not differentiable (autograd passes through them with a warning); "
               "JAX's are: jax.grad through jax.lax.psum gives the transposed collective.", *notes),
        reason=_SPMD.format(op=op),
    )


RECORDS = [
    _collective("all_reduce", "t = x.clone()\ndist.all_reduce(t, op=dist.ReduceOp.SUM)\nout = t", "psum",
                "lambda t: jax.lax.psum(t, 'data')",
                notes=("ReduceOp.AVG -> jax.lax.pmean, MAX -> jax.lax.pmax, MIN -> jax.lax.pmin.",
                       "Averaging gradients by hand (all_reduce then divide by world size) is unnecessary "
                       "with jax.jit over a sharded batch: the gradient of a mean loss is already global.")),
    _collective("all_gather", "ts = [torch.empty_like(x)]\ndist.all_gather(ts, x)\nout = torch.cat(ts)",
                "all_gather", "lambda t: jax.lax.all_gather(t, 'data', tiled=True)",
                notes=("tiled=True concatenates along axis 0 like torch.cat(tensor_list); without it the "
                       "shards are stacked on a new axis.",)),
    _collective("broadcast", "t = x.clone()\ndist.broadcast(t, src=0)\nout = t", "all_gather",
                "lambda t: jax.lax.all_gather(t, 'data')[0]",
                notes=("A replicated array (sharding P()) already holds the same value on every device: "
                       "broadcasting parameters at start-up is jax.device_put(params, NamedSharding(mesh, "
                       "P())).",)),
    Record(
        torch="torch.distributed.barrier",
        jax="jax.experimental.multihost_utils.sync_global_devices",
        status="manual",
        torch_example=_GROUP + "    dist.barrier()\n    out = x * 2" + _END,
        jax_example=(
            "from jax.experimental import multihost_utils\n"
            "multihost_utils.sync_global_devices('after setup')  # every process waits here\n"
            "out = x * 2"
        ),
        inputs=(T("x", "*"),),
        checks=("forward", "grad"),
        notes=("Typical use, rank 0 prepares data while the others wait: `if jax.process_index() == 0: "
               "prepare()` then sync_global_devices(name).",),
        reason="JAX processes synchronise through jax.experimental.multihost_utils.sync_global_devices(name); "
               "within one jitted step, collectives already synchronise",
    ),
    Record(
        torch="torch.distributed.destroy_process_group",
        jax="jax.distributed.shutdown",
        status="manual",
        torch_example=_GROUP + "    y = x * 2" + _END + "\nout = (y, dist.is_initialized())",
        jax_example="y = x * 2\njax.distributed.shutdown()  # a no-op unless jax.distributed.initialize ran\n"
                    "out = (y, jax.distributed.is_initialized())",
        inputs=(T("x", "*"),),
        checks=("forward", "grad"),
        reason="a multi-host JAX program may call jax.distributed.shutdown() at the end; on one host there is "
               "nothing to tear down",
    ),
    Record(
        torch="torch.distributed.is_initialized",
        jax="jax.distributed.is_initialized",
        status="manual",
        aliases=("torch.distributed.is_available",),
        torch_example="import torch.distributed as dist\nout = dist.is_available() and dist.is_initialized()",
        jax_example="out = jax.distributed.is_initialized()",
        checks=("forward",),
        notes=("On one host jax.distributed.initialize is never needed, so this is False: code guarded by "
               "`if dist.is_initialized()` usually becomes code that always runs over jax.devices().",),
        reason="a torch process group and jax.distributed (multi-host) are different things: test "
               "jax.process_count() > 1 for 'several hosts'",
    ),
    Record(
        torch="torch.distributed.get_backend",
        jax="jax.default_backend",
        status="manual",
        torch_example=_GROUP + "    out = dist.get_backend() in ('gloo', 'nccl', 'mpi')" + _END,
        jax_example="out = jax.default_backend() in ('cpu', 'gpu', 'tpu')",
        checks=("forward",),
        notes=("torch names the communication library (nccl, gloo); JAX the device platform, and XLA picks "
               "the collectives' implementation (NCCL on GPUs, ICI on TPUs).",),
        reason="there is no communication backend to choose in JAX: XLA uses the platform's own",
    ),
    Record(
        torch="torch.nn.parallel.data_parallel",
        jax="jax.sharding (Mesh, NamedSharding) + jax.jit",
        status="manual",
        torch_example=(
            "m = nn.Linear(4, 3)\n"
            "out = nn.parallel.data_parallel(m, x) if torch.cuda.is_available() else m(x)"
        ),
        jax_example=(
            "from jax.sharding import Mesh, NamedSharding, PartitionSpec as P\n"
            "from mapping.convert import load_linear\n"
            "mesh = Mesh(jax.devices(), ('data',))\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd)\n"
            "out = m(jax.device_put(x, NamedSharding(mesh, P('data'))))"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("data_parallel needs CUDA devices (on CPU torch raises 'device type could not be "
               "determined'): the example falls back to calling the module, as scripts do.",),
        reason="no wrapper: shard the batch over a Mesh of the devices and jit the step",
    ),
    Record(
        torch="torch.multiprocessing.spawn",
        jax="one process per host (jax.distributed.initialize)",
        status="manual",
        aliases=("torch.multiprocessing.start_processes",),
        torch_example=(
            "import torch.multiprocessing as mp\n"
            "def worker(rank, x):\n"
            "    return x * (rank + 1)\n"
            "# mp.spawn(worker, args=(x,), nprocs=torch.cuda.device_count()) starts one process per GPU;\n"
            "# here the single worker of a one-GPU run, called in process:\n"
            "out = worker(0, x) if not torch.cuda.is_available() else x"
        ),
        jax_example="out = x * 1  # one process drives every local device: no spawn",
        inputs=(T("x", "*"),),
        checks=("forward", "jit", "grad"),
        notes=("The example does not start processes (spawning re-imports the program, which a test cannot "
               "do quickly): it shows the worker body that mp.spawn would run once per GPU.",
               "Multi-host jobs start one JAX process per host (SLURM, Kubernetes, Cloud TPU) and call "
               "jax.distributed.initialize() first."),
        reason="JAX needs no process per device: one process per host drives all its devices; across "
               "hosts the scheduler starts the processes and jax.distributed.initialize() connects them",
    ),
    Record(
        torch="torch.distributed.fsdp.FullyShardedDataParallel",
        jax="parameters sharded with NamedSharding (jax.jit partitions the step)",
        status="manual",
        aliases=("torch.distributed.fsdp.fully_shard",),
        torch_example=(
            "import copy\n"
            "from torch.distributed.fsdp import FullyShardedDataParallel\n"
            "m = nn.Linear(4, 3)\n" + _GROUP +
            "    sharded = FullyShardedDataParallel(copy.deepcopy(m), device_id=torch.device('cpu'))\n"
            "    out = sharded(x)" + _END
        ),
        jax_example=(
            "from jax.sharding import Mesh, NamedSharding, PartitionSpec as P\n"
            "from mapping.convert import load_linear\n"
            "mesh = Mesh(jax.devices(), ('fsdp',))\n"
            "m = load_linear(nnx.Linear(4, 3, rngs=nnx.Rngs(0)), sd)\n"
            "state = nnx.state(m)\n"
            "shard = lambda a: NamedSharding(mesh, P('fsdp') if a.ndim and a.shape[0] % mesh.size == 0 else P())\n"
            "nnx.update(m, jax.device_put(state, jax.tree.map(shard, state)))\n"
            "out = m(jax.device_put(x, NamedSharding(mesh, P('fsdp'))))"
        ),
        inputs=(T("x", "N,4", grad=False),),
        checks=("forward", "jit"),
        why_not={"grad": "a one-process group: the collective does nothing, so a gradient check would prove nothing"},
        notes=("The example wraps a copy of m (FSDP flattens the parameters of the module it wraps) on a "
               "one-process gloo group; fully_shard(m) (FSDP2) shards in place the same way. In JAX, "
               "FSDP is a sharding choice: parameters (and optimizer state) split over a mesh axis, the "
               "batch over the same axis; jax.jit gathers weights for each layer and reduce-scatters "
               "gradients.",),
        reason="fully sharded data parallelism is expressed by shardings, not by a wrapper module: shard "
               "parameters and batch over a mesh axis and jit the train step",
    ),
    Record(
        torch="torch.nn.SyncBatchNorm",
        jax="flax.nnx.BatchNorm(axis_name=...)",
        status="manual",
        aliases=("torch.nn.SyncBatchNorm.convert_sync_batchnorm",),
        torch_example=(
            "m = nn.SyncBatchNorm.convert_sync_batchnorm(nn.Sequential(nn.BatchNorm1d(4)))\n"
            "m.eval()\n"
            "out = m(x)"
        ),
        jax_example=(
            "from mapping.convert import load_batch_norm\n"
            "bn = nnx.BatchNorm(4, momentum=0.9, epsilon=1e-5, use_running_average=True, rngs=nnx.Rngs(0))\n"
            "load_batch_norm(bn, sd, prefix='0.')\n"
            "out = bn(x)"
        ),
        inputs=(T("x", "N,4"),),
        checks=("forward", "jit", "grad"),
        notes=("Shown in eval mode (running statistics; SyncBatchNorm's training mode needs a GPU process "
               "group). Under jax.jit on a batch sharded over the mesh, nnx.BatchNorm's batch statistics are "
               "already global; inside jax.shard_map pass axis_name='data' to average them across devices.",),
        reason="batch statistics over a sharded batch are global under jax.jit; inside shard_map, "
               "nnx.BatchNorm(axis_name=...) averages them with a collective",
    ),
]
