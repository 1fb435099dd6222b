"""Training checkpoints with Orbax: parameters, optimizer state and nanoGPT's metadata, saved atomically.

Layout: ``<out_dir>/orbax/<n>/`` with items ``params`` (flat ``{"transformer.h.0.attn.c_attn.kernel": array}``),
``opt_state`` (the optax state's leaves in order) and ``meta`` (JSON: model_args, iter_num,
best_val_loss, config). Orbax writes into a temporary directory and renames it when complete, so a
crash mid-save leaves the previous checkpoint as the latest; the old one is deleted only afterwards.
``n`` counts saves, so saving the same iter_num twice (a resumed run re-evaluating) is allowed.
Arrays are saved as the global arrays they are: with several processes each writes the shards it
holds, and a restore reads them into whatever placement (devices, processes, dp or fsdp) the
templates given to ``restore`` have.
"""

from pathlib import Path

import jax
import numpy as np
import orbax.checkpoint as ocp

from nanogpt_jax.convert import flatten_params, unflatten_into


class Checkpointer:
    def __init__(self, out_dir, max_to_keep=1):
        self.directory = Path(out_dir).absolute() / "orbax"
        options = ocp.CheckpointManagerOptions(max_to_keep=max_to_keep, create=True,
                                               enable_async_checkpointing=False)
        self.manager = ocp.CheckpointManager(self.directory, options=options)

    def exists(self) -> bool:
        return self.manager.latest_step() is not None

    def save(self, params, opt_state, meta: dict):
        n = (self.manager.latest_step() or 0) + 1
        leaves = {f"{i:05d}": _array(x) for i, x in enumerate(jax.tree.leaves(opt_state))}
        flat = {k: _array(v) for k, v in flatten_params(params).items()}
        self.manager.save(n, args=ocp.args.Composite(params=ocp.args.StandardSave(flat),
                                                     opt_state=ocp.args.StandardSave(leaves),
                                                     meta=ocp.args.JsonSave(meta)))
        self.manager.wait_until_finished()
        return self.directory / str(n)

    def meta(self) -> dict:
        n = self.manager.latest_step()
        return self.manager.restore(n, args=ocp.args.Composite(meta=ocp.args.JsonRestore()))["meta"]

    def restore_params(self, params):
        """(params, meta) from the latest checkpoint; the optimizer state is not read."""
        n = self.manager.latest_step()
        target = {k: _abstract(v) for k, v in flatten_params(params).items()}
        out = self.manager.restore(n, args=ocp.args.Composite(params=ocp.args.StandardRestore(target),
                                                              meta=ocp.args.JsonRestore()))
        return unflatten_into(params, out["params"]), out["meta"]

    def restore(self, params, opt_state):
        """(params, opt_state, meta) from the latest checkpoint, shaped like the given templates."""
        n = self.manager.latest_step()
        leaves, treedef = jax.tree.flatten(opt_state)
        saved = self.manager.item_metadata(n)["opt_state"]
        if saved is not None and len(saved) != len(leaves):
            raise ValueError(f"checkpoint optimizer state has {len(saved)} arrays, this optimizer {len(leaves)}")
        targets = dict(params={k: _abstract(v) for k, v in flatten_params(params).items()},
                       opt_state={f"{i:05d}": _abstract(x) for i, x in enumerate(leaves)})
        out = self.manager.restore(n, args=ocp.args.Composite(
            **{k: ocp.args.StandardRestore(v) for k, v in targets.items()}, meta=ocp.args.JsonRestore()))
        params = unflatten_into(params, out["params"])
        restored = [out["opt_state"][f"{i:05d}"] for i in range(len(leaves))]
        return params, jax.tree.unflatten(treedef, restored), out["meta"]


def _array(x):
    """A jax.Array as it is (sharded over processes or not); anything else as a NumPy array."""
    return x if isinstance(x, jax.Array) else np.asarray(x)


def _abstract(x) -> jax.ShapeDtypeStruct:
    """What to restore x as: its shape, dtype and placement (one device if it has none)."""
    sharding = x.sharding if isinstance(x, jax.Array) else jax.sharding.SingleDeviceSharding(jax.devices()[0])
    return jax.ShapeDtypeStruct(np.shape(x), np.asarray(x).dtype if not isinstance(x, jax.Array) else x.dtype,
                                sharding=sharding)
