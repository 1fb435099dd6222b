"""Structural findings: nn.Module subclasses, training loops, gradient modes, seeds, save / load,
device moves, train / eval, in-place ops, item assignment and DataLoader loops. Each is manual, with a
sketch of the JAX code."""

from __future__ import annotations

import libcst as cst

from migrate import analyze, rewrite, rules
from migrate.analyze import LOADER, MODULE, OTHER, TENSOR, UNKNOWN, dotted, is_torch
from migrate.inplace import INPLACE_SKETCH, inplace_site, item_assignment
from migrate.sites import Catalogue, Site

DEVICE_METHODS = ("to", "cuda", "cpu")
SEED_APIS = ("torch.manual_seed", "torch.random.manual_seed", "torch.cuda.manual_seed", "torch.cuda.manual_seed_all")
GRAD_MODES = ("torch.no_grad", "torch.inference_mode", "torch.enable_grad", "torch.set_grad_enabled",
              "torch.autograd.no_grad", "torch.autograd.grad_mode.no_grad")


def structure(reader: analyze.Reader, catalogue: Catalogue, sites: list) -> None:
    for info in reader.classes:
        if reader.is_module_class(info.node, info.scope):
            sites.append(_module_site(reader, info, catalogue))
    for frame in reader.loops:
        opt = frame.methods.get("step")
        loss = frame.methods.get("backward")
        opt_name = opt.value if isinstance(opt, cst.Name) else "optimizer"
        loss_name = loss.value if isinstance(loss, cst.Name) else "loss"
        where = "loop" if isinstance(frame.node, (cst.For, cst.While)) else f"function {frame.node.name.value}"
        tx, wanted = _optimizer(reader, catalogue, opt, frame.scope)
        sites.append(Site(frame.node, "pattern.training_loop", "manual", rules.code("training-loop"),
                          f"training {where}: {loss_name}.backward() + {opt_name}.step() -> one jitted step with "
                          "jax.value_and_grad and an optax update",
                          sketch=(lambda text, o=opt_name, lo=loss_name, tx=tx: _loop_sketch(o, lo, tx(text)), wanted)))
    for call, node, scope in reader.withs:
        qual, _ = reader.qualify(call.func, scope)
        if qual in GRAD_MODES:
            sites.append(Site(node, qual, "manual", rules.code("no-grad"),
                               f"`with {qual.split('.')[-1]}()`: JAX computes gradients only inside jax.grad",
                               sketch="# drop the `with` and dedent its body; block one value's gradient with "
                                      "jax.lax.stop_gradient(x)"))
    for dec, fn, scope in reader.decorators:
        qual, _ = reader.qualify(dec.func if isinstance(dec, cst.Call) else dec, scope)
        if qual in GRAD_MODES:
            sites.append(Site(dec, qual, "manual", rules.code("no-grad"),
                               f"@{qual.split('.')[-1]} on {fn.name.value}: JAX computes gradients only inside "
                               "jax.grad", sketch=f"@jax.jit  # or @nnx.jit; no gradient mode to switch off\n"
                                                  f"def {fn.name.value}(...): ..."))
    for call, scope in reader.calls:
        func = call.func
        qual, _ = reader.qualify(func, scope)
        if qual is not None:
            if qual in SEED_APIS:
                seed = (call.args[0].value, ) if call.args else ()
                sites.append(Site(call, qual, "manual", rules.code("manual-seed"),
                                   "JAX has no global RNG: make a key from the seed and split it for each random op",
                                   sketch=(lambda text, s=seed: f"key = jax.random.key({text(s[0]) if s else 0})\n"
                                           "key, sub = jax.random.split(key)  # a fresh subkey per random call; "
                                           "nnx.Rngs(key) for modules", seed)))
            elif qual in ("torch.save", "torch.load"):
                sites.append(_save_load_site(call, qual))
            continue
        if not isinstance(func, cst.Attribute):
            continue
        name = func.attr.value
        if name not in DEVICE_METHODS and name not in ("train", "eval") and not (
                name.endswith("_") and not name.startswith("_")):
            continue
        kind = reader.kind(func.value, scope)
        if kind == OTHER:
            continue
        if name in DEVICE_METHODS and not dtype_only(reader, call, scope):
            # a receiver of unknown type is named as a tensor: the common case, and always a qualified name
            api = ("torch.nn.Module." if kind == MODULE else "torch.Tensor.") + name
            why = f".{name}(): JAX places arrays on the default device; drop the call or use jax.device_put"
            if name == "to" and len(call.args) == 1 and reader.kind(call.args[0].value, scope) == TENSOR:
                why = ".to(other) with a tensor casts to its dtype too: x.astype(other.dtype), not a dropped call"
            sites.append(Site(call, api, "manual", rules.code("device-move"), why,
                              sketch=(_device_sketch(name), (func.value,))))
        elif name in ("train", "eval") and len(call.args) <= 1 and not any(
                isinstance(a.value, (cst.SimpleString, cst.FormattedString)) for a in call.args):
            if kind in (MODULE, UNKNOWN):
                sites.append(Site(call, f"torch.nn.Module.{name}", "manual", rules.code("train-eval"),
                                   f".{name}(): nnx modules have .{name}() too (Dropout deterministic, BatchNorm "
                                   "running averages); under jit pass the mode as an argument",
                                   sketch=(lambda text, r=func.value, n=name: f"{text(r)}.{n}()  # flax.nnx.Module."
                                           f"{n}", (func.value,))))
        elif name.endswith("_") and kind in (TENSOR, UNKNOWN) and (kind == TENSOR or name in INPLACE_SKETCH):
            sites.append(inplace_site(reader, call, scope, kind, catalogue))
    for target, stmt, scope in reader.stores:
        if reader.kind(target.value, scope) == TENSOR:
            sites.append(item_assignment(reader, target, stmt, scope, catalogue))
    for node, scope in reader.fors:
        it = node.iter
        if isinstance(it, cst.Call) and dotted(it.func) == ["enumerate"] and it.args:
            it = it.args[0].value
        if reader.kind(it, scope) == LOADER:
            sites.append(Site(node, "torch.utils.data.DataLoader", "manual", rules.code("dataloader-loop"),
                               "loop over a torch DataLoader: feed numpy / jax arrays to the jitted step",
                               sketch="# keep the DataLoader (numpy collate_fn) or use a numpy / grain pipeline;\n"
                                      "# per batch: xb = jnp.asarray(xb.numpy())"))



def dtype_only(reader, call: cst.Call, scope) -> bool:
    """`.to(torch.float16)` / `.to(dtype=...)` converts, it does not move."""
    if not call.args:
        return False
    for a in call.args:
        if a.keyword is not None:
            if a.keyword.value not in ("dtype", "non_blocking", "copy"):
                return False
            continue
        if isinstance(a.value, cst.Attribute) and a.value.attr.value == "dtype" and \
                not is_torch(reader.qualify(a.value, scope)[0]):
            continue  # `x.to(y.dtype)`: another tensor's dtype
        qual, _ = reader.qualify(a.value, scope)
        if not (is_torch(qual) and qual.split(".")[-1] in analyze.DTYPES):
            return False
    return True



def _device_sketch(name: str):
    if name == "cpu":
        return lambda text, r=None: "np.asarray(x)  # or jax.device_get(x): a host copy"
    return lambda text: "x  # arrays are already on the default device; jax.device_put(x, device) to place one"



def _optimizer(reader: analyze.Reader, catalogue: Catalogue, opt, scope):
    """(text -> the optax transform of the script's own optimizer, the nodes that needs), from the assignment of
    the `.step()` receiver (`optimizer = torch.optim.SGD(...)`, also `self.optimizer = ...`)."""
    call = None
    if isinstance(opt, cst.Name) and scope is not None:
        found = reader.lookup(opt.value, scope) or []
        calls = [payload for kind, payload, _ in found if kind == "expr" and isinstance(payload, cst.Call)]
        call = calls[-1] if calls else None
        where = found[-1][2] if found else None
    if call is None:
        return (lambda text: None), ()
    qual, _ = reader.qualify(call.func, where)
    record = catalogue.find(qual, call) if qual else None
    if record is None or not rewrite.has_rewrite(record):
        return (lambda text: f"...  # the optax counterpart of {qual or 'your optimizer'}"), ()
    try:
        binding = rewrite.bind(record, call)
    except rewrite.Manual as e:
        why = str(e)
        return (lambda text: f"...  # {qual}: {why}"), ()

    def tx(text) -> str:
        try:
            return rewrite.build(record, binding, text, None, {})[0] + f"  # was {qual}"
        except rewrite.Manual as e:
            return f"...  # {qual}: {e}"
    return tx, tuple(a.value for args in binding.args.values() for a in args)


def _loop_sketch(opt: str, loss: str, tx: str | None = None) -> str:
    tx = tx or f"optax.adamw(learning_rate)  # the optax counterpart of {opt}"
    return (f"tx = {tx}\n"
            "opt_state = tx.init(params)  # params = nnx.state(model, nnx.Param); graphdef = nnx.graphdef(model)\n"
            "@jax.jit\n"
            "def train_step(params, opt_state, xb, yb):\n"
            "    def loss_fn(params):\n"
            f"        ...  # the forward pass that computed `{loss}`, on nnx.merge(graphdef, params)\n"
            f"        return {loss}\n"
            f"    {loss}, grads = jax.value_and_grad(loss_fn)(params)\n"
            "    updates, opt_state = tx.update(grads, opt_state, params)\n"
            f"    return optax.apply_updates(params, updates), opt_state, {loss}\n"
            f"# in the loop, instead of zero_grad / backward / step:\n"
            f"params, opt_state, {loss} = train_step(params, opt_state, xb, yb)")


def _save_load_site(call: cst.Call, qual: str) -> Site:
    args = tuple(a.value for a in call.args[:2])
    if qual == "torch.save":
        def sketch(text):
            path = text(args[1]) if len(args) > 1 else "path"
            return ("import orbax.checkpoint as ocp\n"
                    f"ocp.StandardCheckpointer().save(os.path.abspath({path}), nnx.state(model))")
    else:
        def sketch(text):
            path = text(args[0]) if args else "path"
            return ("import orbax.checkpoint as ocp\n"
                    f"state = ocp.StandardCheckpointer().restore(os.path.abspath({path}), nnx.state(model))\n"
                    "nnx.update(model, state)")
    return Site(call, qual, "manual", rules.code("save-load"),
                 f"{qual}: save / restore the nnx state with Orbax (a directory, not a pickle)",
                 sketch=(sketch, args))


def _module_site(reader: analyze.Reader, info: analyze.ClassInfo, catalogue: Catalogue) -> Site:
    node = info.node
    methods = {s.name.value: s for s in node.body.body if isinstance(s, cst.FunctionDef)}
    submodules = []
    for attr, bindings in info.attrs.items():
        for kind, value, scope in bindings:
            if kind == "expr" and isinstance(value, cst.Call) and reader.kind(value, scope) == MODULE:
                submodules.append((attr, value, scope))
                break

    def params(fn: cst.FunctionDef | None, default: str) -> str:
        if fn is None:
            return default
        p = fn.params
        names = [x.name.value for x in (*p.posonly_params, *p.params)]
        if isinstance(p.star_arg, cst.Param):
            names.append("*" + p.star_arg.name.value)
        names += [x.name.value for x in p.kwonly_params]
        if isinstance(p.star_kwarg, cst.Param):
            names.append("**" + p.star_kwarg.name.value)
        return ", ".join(names)

    def sketch(text) -> str:
        init = params(methods.get("__init__"), "self")
        rngs = ", rngs: nnx.Rngs" if "*" in init else ", *, rngs: nnx.Rngs"
        lines = [f"class {node.name.value}(nnx.Module):", f"    def __init__({init}{rngs}):"]
        for attr, value, scope in submodules:
            qual, _ = reader.qualify(value.func, scope)
            record = catalogue.find(qual, value) if qual else None
            if record is not None and rewrite.has_rewrite(record):
                try:
                    new = rewrite.build(record, rewrite.bind(record, value), text, None, {})[0]
                except rewrite.Manual as e:
                    new = f"...  # {qual}: {e}"
            elif qual == "torch.nn.ModuleList" or qual == "torch.nn.Sequential":
                inner = text(value)[text(value).index("(") + 1:-1]
                new = f"nnx.{'List' if qual.endswith('List') else 'Sequential'}({inner})"
            elif qual is not None:
                new = f"...  # {qual}: {'see its catalogue record' if record else 'not in the catalogue yet'}"
            else:
                src = text(value)
                new = src[:-1] + (", " if value.args else "") + "rngs=rngs)"
            lines.append(f"        self.{attr} = {new}")
        lines.append(f"    def __call__({params(methods.get('forward'), 'self, x')}):  # was forward")
        return "\n".join(lines)

    wanted = tuple(n for _, v, _ in submodules for n in (v, *(a.value for a in v.args)))
    names = [cst.Module([]).code_for_node(b.value) for b in node.bases]
    bases = ", ".join(names) or "nn.Module"
    layers = [b for b in names if b.startswith(("nn.", "torch.nn.")) and not b.endswith(".Module")]
    layer = (f"; what it inherits from {layers[0]} (its weights, super().forward) comes from an nnx layer it holds "
             "instead") if layers else ""
    return Site(node, "torch.nn.Module", "manual", rules.code("module-subclass"),
                 f"class {node.name.value}({bases}) -> flax.nnx.Module: forward -> __call__, submodules built "
                 f"with rngs{layer}", sketch=(sketch, wanted))

