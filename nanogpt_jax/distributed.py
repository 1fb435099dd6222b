"""Devices, processes and shardings: the CPU split into devices, jax.distributed start-up, FSDP placement.

One process or many, the trainer sees one device mesh with a single ``data`` axis over every device of
every process. The batch is split over it (data parallel). Parameters and AdamW moments are replicated
(``sharding="dp"``) or split over the same axis along their largest divisible dimension
(``sharding="fsdp"``: each device stores 1/n of the model and optimizer state; XLA gathers the
weights for the forward and backward passes and reduce-scatters the gradients).
"""

import os

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding
from jax.sharding import PartitionSpec as P

from nanogpt_jax.configurator import ConfigError

HOST_DEVICE_FLAG = "--xla_force_host_platform_device_count"
POOL_THREADS_ENV = "PJRT_NPROC"  # the size of XLA:CPU's thread pool (at least one thread per device)


def split_host_cpu(n: int = 2, pool_threads: int = 0) -> None:
    """Expose the host CPU as n XLA devices, so training splits each batch over them in parallel.

    XLA runs a small model's step on one CPU device with its cores partly idle; two devices, each
    computing half the batch, keep two cores busy. pool_threads > 0 also sizes XLA's CPU thread pool
    (PJRT_NPROC). Call before JAX starts its backends; a count the user already put in XLA_FLAGS or
    PJRT_NPROC wins, and accelerators are unaffected (only the host platform splits).
    """
    flags = os.environ.get("XLA_FLAGS", "")
    n = min(n, os.cpu_count() or 1)
    if HOST_DEVICE_FLAG not in flags and n > 1:
        os.environ["XLA_FLAGS"] = f"{flags} {HOST_DEVICE_FLAG}={n}".strip()
        if pool_threads > 0:
            os.environ.setdefault(POOL_THREADS_ENV, str(pool_threads))


def _env_int(*names: str) -> int | None:
    for name in names:
        if os.environ.get(name, "").strip():
            return int(os.environ[name])
    return None


def initialize(coordinator_address: str = "", num_processes: int = 0, process_id: int = -1) -> bool:
    """Start jax.distributed when this run has several processes; True if it did.

    Each value comes from the argument if set, else JAX's variables (JAX_COORDINATOR_ADDRESS,
    JAX_NUM_PROCESSES, JAX_PROCESS_ID), else torchrun's (MASTER_ADDR:MASTER_PORT, WORLD_SIZE, RANK).
    With none of them, a SLURM, Open MPI or Kubernetes job is detected by jax.distributed itself.
    """
    env = os.environ
    address = coordinator_address or env.get("JAX_COORDINATOR_ADDRESS") or (
        f"{env['MASTER_ADDR']}:{env.get('MASTER_PORT', '29500')}" if env.get("MASTER_ADDR") else None)
    count = num_processes or _env_int("JAX_NUM_PROCESSES", "WORLD_SIZE")
    index = process_id if process_id >= 0 else _env_int("JAX_PROCESS_ID", "RANK")
    cluster = (_env_int("SLURM_NTASKS") or _env_int("OMPI_COMM_WORLD_SIZE") or 1) > 1
    if count == 1 or not (address or count or cluster):
        return False
    if not jax.distributed.is_initialized():  # a second training run in the same processes reuses it
        jax.distributed.initialize(address, count, index)
    return True

def usable_devices(devices: list, batch_size: int) -> list:
    """The devices to split batch_size over: all of them, or in one process the most that divide it."""
    n = len(devices)
    if batch_size % n == 0:
        return devices
    if jax.process_count() > 1:
        raise ConfigError(f"batch_size={batch_size} must be divisible by the {n} devices of all processes")
    k = max(d for d in range(1, n + 1) if batch_size % d == 0)
    print(f"note: batch_size={batch_size} does not split over {n} devices; using {k}")
    return devices[:k]


def data_mesh(devices) -> Mesh:
    """A mesh with one ``data`` axis over devices (every process's, in jax.devices() order)."""
    return Mesh(np.array(devices), ("data",))


def fsdp_spec(shape: tuple, n: int) -> P:
    """Split the largest dimension that n divides over ``data``; replicate what cannot be split."""
    dims = sorted((d for d in range(len(shape)) if shape[d] % n == 0 and shape[d] >= n), key=lambda d: -shape[d])
    if n == 1 or not dims:
        return P()
    spec = [None] * len(shape)
    spec[dims[0]] = "data"
    return P(*spec)


def state_sharding(mesh: Mesh, mode: str):
    """A function array -> NamedSharding for parameters and optimizer state under mode (dp or fsdp)."""
    if mode not in ("dp", "fsdp"):
        raise ValueError(f"sharding must be 'dp' or 'fsdp', got {mode!r}")
    n = mesh.devices.size

    def sharding(x) -> NamedSharding:
        return NamedSharding(mesh, fsdp_spec(np.shape(x), n) if mode == "fsdp" else P())

    return sharding


def local_rows(sharding: NamedSharding, shape: tuple, axis: int) -> slice:
    """The rows along axis that this process's devices hold (contiguous: devices are in process order)."""
    spans = sorted({(idx[axis].start or 0, shape[axis] if idx[axis].stop is None else idx[axis].stop)
                    for idx in sharding.addressable_devices_indices_map(shape).values()})
    start, stop = spans[0][0], spans[-1][1]
    if sum(b - a for a, b in spans) != stop - start:
        raise ValueError(f"this process's rows along axis {axis} are not contiguous: {spans}")
    return slice(start, stop)
