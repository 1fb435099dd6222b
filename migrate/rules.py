"""The rules of `jaxmigrate suggest`: one entry per code, with inline cases that the tests run.

- JM1xx: calls of torch APIs, one code per catalogue status (and `unknown` for an API the
  catalogue does not have yet). JM106: the record has a rewrite but this call's arguments cannot
  be mapped.
- JM2xx: tensor method calls, same scheme; each carries a confidence.
- JM3xx: structure (modules, training loop, no_grad, devices, RNG, checkpoints, ...), each with a
  sketch of the JAX code.

Each rule lists `cases`: (source, expected) where expected is True (the rule fires), False (it must
not), or a string (the rule fires and `--fix` turns the source into that string). The tests are
generated from these cases; adding a rule never means adding test code.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUSES = ("verified", "caveat", "manual", "unsupported", "unknown")
CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    summary: str
    cases: tuple = ()


def _calls() -> list[Rule]:
    rules = []
    for i, status in enumerate(STATUSES, start=1):
        rules.append(Rule(f"JM10{i}", f"call-{status}", f"a torch API call whose catalogue status is {status}"))
        rules.append(Rule(f"JM20{i}", f"method-{status}", f"a tensor method call whose catalogue status is {status}"))
    rules.append(Rule("JM106", "call-arguments", "the record has a rewrite, but this call's arguments cannot be "
                      "mapped (unsupported argument, literal without a value map, splat the signature can't bind)"))
    rules.append(Rule("JM206", "method-arguments", "as JM106, for a tensor method"))
    return rules


STRUCTURE = [
    Rule("JM300", "star-import", "`from torch import *`: names cannot be resolved in this file",
         cases=(("from torch import *\nx = randn(3)\n", True), ("from torch import nn\n", False))),
    Rule("JM301", "module-subclass", "an nn.Module subclass: becomes a flax.nnx.Module, forward -> __call__, "
         "submodules built with rngs",
         cases=(("import torch.nn as nn\nclass M(nn.Module):\n    def forward(self, x):\n        return x\n", True),
                ("from torch import nn\nclass M(nn.Linear):\n    pass\n", True),
                ("import torch\nclass Nn:\n    class Module:\n        pass\nclass M(Nn.Module):\n    pass\n", False))),
    Rule("JM302", "training-loop", "the zero_grad / backward / step loop: becomes a jitted step with "
         "jax.value_and_grad and an optax update",
         cases=(("import torch\nfor x in data:\n    opt.zero_grad()\n    loss = f(x)\n    loss.backward()\n"
                 "    opt.step()\n", True),
                ("import torch\nfor x in data:\n    sched.step()\n", False))),
    Rule("JM303", "no-grad", "`with torch.no_grad()` / `@torch.no_grad()`: JAX computes gradients only "
         "where asked",
         cases=(("import torch\nwith torch.no_grad():\n    y = f(x)\n", True),
                ("import torch\n@torch.no_grad()\ndef f(x):\n    return x\n", True),
                ("import torch\nwith open('f') as f:\n    pass\n", False))),
    Rule("JM304", "device-move", "`.to(device)` / `.cuda()` / `.cpu()`: JAX places arrays itself",
         cases=(("import torch\nx = torch.ones(2).to('cuda')\n", True), ("import torch\nm = model.cuda()\n", True),
                ("import torch\nimport numpy as np\ny = np.ones(2)\nz = y.to('cuda')\n", False),
                ("import torch\nx = torch.ones(2)\ny = x.to(torch.float16)\n", False))),
    Rule("JM305", "train-eval", "`model.train()` / `model.eval()`: nnx modules have .train() / .eval() "
         "(Dropout, BatchNorm); inside jit pass the mode explicitly",
         cases=(("import torch\nmodel.eval()\n", True),
                ("import torch\nimport pandas as pd\npd.DataFrame().eval('a')\n", False))),
    Rule("JM306", "dataloader-loop", "a loop over a torch DataLoader: batches must become numpy / jax arrays",
         cases=(("from torch.utils.data import DataLoader\nloader = DataLoader(ds, batch_size=8)\n"
                 "for xb, yb in loader:\n    pass\n", True),
                ("import torch\nfor xb in batches:\n    pass\n", False))),
    Rule("JM307", "in-place", "an in-place tensor op that is not rewritten (`y = x.add_(1)`, `x[0].zero_()`, "
         "`x[i] = v`): JAX arrays are immutable, rebind the result. `x.add_(y)` as a statement of its own, on a "
         "name or attribute chain, takes its record's assignment template instead (JM2xx)",
         cases=(("import torch\nx = torch.zeros(3)\ny = x.add_(1)\n", True),
                ("import torch\nx = torch.zeros(3, 2)\nx[0].zero_()\n", True),
                ("import torch\nx = torch.zeros(3)\nx[0] = 1.0\n", True),
                ("import torch\nx = torch.zeros(3)\nx.add_(1)\n", False),
                ("import torch\nx = [0, 1]\nx[0] = 1\n", False))),
    Rule("JM308", "manual-seed", "`torch.manual_seed`: JAX has no global RNG; create a key and split it",
         cases=(("import torch\ntorch.manual_seed(0)\n", True), ("import random\nrandom.seed(0)\n", False))),
    Rule("JM309", "save-load", "`torch.save` / `torch.load`: save the nnx state with Orbax",
         cases=(("import torch\ntorch.save(model.state_dict(), 'm.pt')\n", True),
                ("import torch\nimport pickle\npickle.dump(m, f)\n", False))),
]

RULES: dict[str, Rule] = {r.code: r for r in _calls() + STRUCTURE}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES.values()}


def code(name: str) -> str:
    """The code of a rule by name (`code("no-grad") == "JM303"`)."""
    return BY_NAME[name].code


def call_code(status: str, method: bool) -> str:
    return code(("method-" if method else "call-") + status)


def selected(rule: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """--select / --ignore take codes or code prefixes (`JM1`, `JM30`)."""
    if select and not any(rule.startswith(s) for s in select):
        return False
    return not any(rule.startswith(s) for s in ignore)
