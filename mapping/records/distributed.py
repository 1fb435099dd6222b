"""torch.distributed: process groups and ranks. JAX runs one process per host (not per GPU) and
partitions work over devices with jax.sharding, so these calls map to concepts, not to one-liners."""

from mapping.record import Record

_GROUP = ("import torch.distributed as dist\n"
          "dist.init_process_group('gloo', store=dist.HashStore(), rank=0, world_size=1)\n")
_MODEL = ("torchrun starts one process per GPU, and rank / world size count those processes. JAX starts one "
          "process per host that drives all of the host's devices: jax.process_index() / jax.process_count() "
          "count hosts, jax.device_count() / jax.local_device_count() count devices.")

RECORDS = [
    Record(
        torch="torch.distributed.init_process_group",
        jax="jax.distributed.initialize",
        status="manual",
        torch_example=_GROUP + "try:\n    out = dist.is_initialized()\nfinally:\n    dist.destroy_process_group()",
        jax_example="out = True  # one host: nothing to initialise; several: jax.distributed.initialize(...)",
        checks=("forward",),
        notes=(_MODEL,
               "jax.distributed.initialize(coordinator_address, num_processes, process_id) once per host, "
               "before any other JAX call; on Cloud TPU and SLURM it finds its arguments itself."),
        reason="multi-host JAX is initialised once per host with jax.distributed.initialize(); on one host "
               "there is nothing to do: jax.devices() already lists every local accelerator",
    ),
    Record(
        torch="torch.distributed.get_rank",
        jax="jax.process_index",
        status="manual",
        torch_example=_GROUP + "try:\n    out = dist.get_rank()\nfinally:\n    dist.destroy_process_group()",
        jax_example="out = jax.process_index()",
        checks=("forward",),
        notes=(_MODEL, "Rank-0-only work (logging, checkpoints) becomes `if jax.process_index() == 0:`."),
        reason="a torch rank is a GPU's process; jax.process_index() is a host's: equal only with one device "
               "per process",
    ),
    Record(
        torch="torch.distributed.get_world_size",
        jax="jax.process_count",
        status="manual",
        torch_example=_GROUP + "try:\n    out = dist.get_world_size()\nfinally:\n    dist.destroy_process_group()",
        jax_example="out = jax.process_count()",
        checks=("forward",),
        notes=(_MODEL, "For the number of data-parallel replicas use jax.device_count()."),
        reason="world size counts processes (one per GPU under torchrun); JAX's jax.process_count() counts "
               "hosts and jax.device_count() devices: pick the one the code means",
    ),
]
