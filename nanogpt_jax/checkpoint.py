"""Training checkpoints with Orbax: parameters, optimizer state and nanoGPT's metadata, saved atomically.

Layout: ``<out_dir>/orbax/<n>/`` with items ``params`` (flat ``{"transformer.h.0.attn.c_attn.kernel": array}``),
``opt_state`` (the optax state's leaves in order) and ``meta`` (JSON: model_args, iter_num,
best_val_loss, config). Orbax writes into a temporary directory and renames it when complete, so a
crash mid-save leaves the previous checkpoint as the latest; the old one is deleted only afterwards.
``n`` counts saves, so saving the same iter_num twice (a resumed run re-evaluating) is allowed.
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
        leaves = {f"{i:05d}": np.asarray(x) for i, x in enumerate(jax.tree.leaves(opt_state))}
        flat = {k: np.asarray(v) for k, v in flatten_params(params).items()}
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
        out = self.manager.restore(n, args=ocp.args.Composite(params=ocp.args.StandardRestore(),
                                                              meta=ocp.args.JsonRestore()))
        return unflatten_into(params, out["params"]), out["meta"]

    def restore(self, params, opt_state):
        """(params, opt_state, meta) from the latest checkpoint, shaped like the given templates."""
        n = self.manager.latest_step()
        out = self.manager.restore(n, args=ocp.args.Composite(params=ocp.args.StandardRestore(),
                                                              opt_state=ocp.args.StandardRestore(),
                                                              meta=ocp.args.JsonRestore()))
        params = unflatten_into(params, out["params"])
        leaves, treedef = jax.tree.flatten(opt_state)
        saved = out["opt_state"]
        if len(saved) != len(leaves):
            raise ValueError(f"checkpoint optimizer state has {len(saved)} arrays, this optimizer {len(leaves)}")
        restored = [jax.numpy.asarray(saved[f"{i:05d}"], dtype=leaf.dtype) for i, leaf in enumerate(leaves)]
        return params, jax.tree.unflatten(treedef, restored), out["meta"]
