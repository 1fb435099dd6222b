"""`torch.optim` optimizers -> optax, verified by 20-step trajectories from the same gradients.

Each torch example sets `p.grad` from the same 20 gradients (`grads`) and steps the optimizer; the
JAX example feeds the same gradients to `opt.update` and outputs the same 20 parameter vectors.
"""

from mapping.record import Choice, Difference, Record, T, Tol

# One parameter vector and the 20 gradients applied to it, drawn by hypothesis.
INPUTS = (T("p0", "N", grad=False), T("grads", "20,N", grad=False))

# torch side: `opt` is built on `p`, then 20 steps; JAX side: `opt` is an optax transformation.
TORCH_LOOP = (
    "\ntraj = []\n"
    "for g in grads:\n"
    "    p.grad = g.clone()\n"
    "    opt.step()\n"
    "    traj.append(p.detach().clone())\n"
    "out = torch.stack(traj)"
)
JAX_LOOP = (
    "\np, state = p0, opt.init(p0)\n"
    "traj = []\n"
    "for g in grads:\n"
    "    updates, state = opt.update(g, state, p)\n"
    "    p = optax.apply_updates(p, updates)\n"
    "    traj.append(p)\n"
    "out = jnp.stack(traj)"
)
PARAM = "p = torch.nn.Parameter(p0.clone())\n"

# Two parameters (a matrix and a vector) and their 20 gradients, for the param-group records.
GROUP_INPUTS = (T("w0", "N,M", grad=False), T("b0", "M", grad=False),
                T("gw", "20,N,M", grad=False), T("gb", "20,M", grad=False))

TRAJ_TOL = Tol(1e-5, 1e-5, "20 float32 steps: each side rounds its update differently (sqrt, division "
                           "order, fused multiply-add) and the error accumulates along the trajectory")

# For the two optimizers whose optax version is a different algorithm: the gap they are allowed.
ALGO_TOL = Tol(0.0, 0.02, "different algorithms (see notes): 20 steps of about lr=1e-3 each, 0.02 bounds "
                          "the gap; an adversarial search of gradient sequences found at most 8.5e-3")

SGD_SIG = "params, lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False, " \
          "foreach=None, differentiable=False, fused=None"
ADAM_SIG = "params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False, *, foreach=None, " \
           "maximize=False, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=False"
ADAMW_SIG = "params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False, *, maximize=False, " \
            "foreach=None, capturable=False, differentiable=False, fused=None"
RMSPROP_SIG = "params, lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0, centered=False, " \
              "capturable=False, foreach=None, maximize=False, differentiable=False"

MAXIMIZE = "optax minimises: negate the loss (or the gradients) instead"
DAMPENING = "optax.trace has no dampening (torch scales the gradient by 1 - dampening in the buffer)"
L2 = "torch adds weight_decay * p to the gradient (L2, not decoupled): see the weight_decay variant"
L2_CHAIN = "torch adds weight_decay * p to the gradient: chain optax.add_decayed_weights(wd) before it"

# A self-contained loop for the Difference snippets: each step sets the same scalar gradient on 3
# parameters; each Difference gives its own sequence of gradients.
D_TORCH = (
    "p = torch.nn.Parameter(torch.full((3,), 5.0))\n"
    "{ctor}\n"
    "for g in {grads}:\n"
    "    p.grad = torch.full((3,), float(g))\n"
    "    opt.step()\n"
    "out = p.detach()"
)
D_JAX = (
    "p = jnp.full((3,), 5.0)\n"
    "{ctor}\n"
    "state = opt.init(p)\n"
    "for g in {grads}:\n"
    "    updates, state = opt.update(jnp.full((3,), float(g)), state, p)\n"
    "    p = optax.apply_updates(p, updates)\n"
    "out = p"
)


def _diff(note: str, torch_ctor: str, jax_ctor: str, grads: str, min_diff: float) -> Difference:
    return Difference(note, D_TORCH.format(ctor=torch_ctor, grads=grads),
                      D_JAX.format(ctor=jax_ctor, grads=grads), min_diff)


RECORDS = [
    Record(
        torch="torch.optim.SGD",
        jax="optax.sgd",
        torch_example=PARAM + "opt = torch.optim.SGD([p], lr=0.1)" + TORCH_LOOP,
        jax_example="opt = optax.sgd(0.1)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        sig=SGD_SIG,
        template="optax.sgd({lr})",
        unsupported_args={"momentum": "see torch.optim.SGD[momentum]: optax.sgd(lr, momentum=...)",
                          "nesterov": "see torch.optim.SGD[nesterov]", "weight_decay": L2,
                          "dampening": DAMPENING, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.SGD",
        jax="optax.sgd",
        variant="momentum",
        torch_example=PARAM + "opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)" + TORCH_LOOP,
        jax_example="opt = optax.sgd(0.1, momentum=0.9, nesterov=False)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("torch's momentum buffer starts at the first gradient; optax's trace starts at zero "
               "and adds the gradient, which gives the same sequence.",),
        sig=SGD_SIG,
        template="optax.sgd({lr}, momentum={momentum}, nesterov={nesterov})",
        unsupported_args={"weight_decay": L2, "dampening": DAMPENING, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.SGD",
        jax="optax.sgd",
        variant="nesterov",
        torch_example=PARAM + "opt = torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True)" + TORCH_LOOP,
        jax_example="opt = optax.sgd(0.1, momentum=0.9, nesterov=True)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Both use the same Nesterov form: update = g + momentum * buf, with buf = momentum * buf + g.",),
        sig=SGD_SIG,
        template="optax.sgd({lr}, momentum={momentum}, nesterov={nesterov})",
        unsupported_args={"weight_decay": L2, "dampening": DAMPENING, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.SGD",
        jax="optax.chain(optax.add_decayed_weights, optax.sgd)",
        variant="weight_decay",
        torch_example=PARAM + "opt = torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01)" + TORCH_LOOP,
        jax_example=(
            "opt = optax.chain(optax.add_decayed_weights(0.01), optax.sgd(0.1, momentum=0.9, nesterov=False))"
            + JAX_LOOP
        ),
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("torch's weight_decay adds weight_decay * p to the gradient before the momentum buffer; "
               "optax.add_decayed_weights placed first in the chain does the same.",),
        sig=SGD_SIG,
        template="optax.chain(optax.add_decayed_weights({weight_decay}), "
                 "optax.sgd({lr}, momentum={momentum}, nesterov={nesterov}))",
        unsupported_args={"dampening": DAMPENING, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.Adam",
        jax="optax.adam",
        torch_example=PARAM + "opt = torch.optim.Adam([p], lr=1e-3, betas=(0.9, 0.95))" + TORCH_LOOP,
        jax_example="opt = optax.adam(1e-3, 0.9, 0.95)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Same algorithm (Kingma & Ba, Algorithm 1): eps is added outside the square root of the "
               "bias-corrected second moment in both. optax's eps_root (inside) defaults to 0.",),
        sig=ADAM_SIG,
        template="optax.adam({lr}, *{betas?}, eps={eps?})",
        unsupported_args={"weight_decay": L2, "amsgrad": "see torch.optim.Adam[amsgrad]",
                          "decoupled_weight_decay": "that is AdamW: optax.adamw", "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.Adam",
        jax="optax.chain(optax.add_decayed_weights, optax.adam)",
        variant="weight_decay",
        torch_example=PARAM + "opt = torch.optim.Adam([p], lr=1e-2, weight_decay=0.1)" + TORCH_LOOP,
        jax_example=(
            "opt = optax.chain(optax.add_decayed_weights(0.1), optax.adam(1e-2))"
            + JAX_LOOP
        ),
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("torch.optim.Adam's weight_decay is an L2 penalty: weight_decay * p is added to the gradient "
               "before the moments. That is not optax.adamw (decoupled decay): chain "
               "optax.add_decayed_weights before optax.adam.",),
        differences=(
            _diff("Adam's weight_decay is L2 on the gradient; optax.adamw decays the weights after the Adam step",
                  "opt = torch.optim.Adam([p], lr=0.1, weight_decay=0.1)",
                  "opt = optax.adamw(0.1, weight_decay=0.1)", "[1.0] * 20", 0.5),
        ),
        sig=ADAM_SIG,
        template="optax.chain(optax.add_decayed_weights({weight_decay}), optax.adam({lr}, *{betas?}, eps={eps?}))",
        unsupported_args={"amsgrad": "see torch.optim.Adam[amsgrad]", "maximize": MAXIMIZE,
                          "decoupled_weight_decay": "that is AdamW: optax.adamw"},
    ),
    Record(
        torch="torch.optim.AdamW",
        jax="optax.adamw",
        torch_example=PARAM + "opt = torch.optim.AdamW([p], lr=1e-2, weight_decay=0.01)" + TORCH_LOOP,
        jax_example="opt = optax.adamw(1e-2, weight_decay=0.01)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("optax.adamw's weight_decay defaults to 1e-4; torch.optim.AdamW's to 1e-2. Always pass it.",
               "Both decay decoupled and scaled by the learning rate: p -= lr * (adam_update + wd * p)."),
        differences=(
            _diff("default weight decay: optax.adamw 1e-4, torch.optim.AdamW 1e-2",
                  "opt = torch.optim.AdamW([p], lr=0.1)", "opt = optax.adamw(0.1)", "[0.0] * 100", 0.3),
        ),
        sig=ADAMW_SIG,
        template="optax.adamw({lr}, *{betas?}, eps={eps?}, weight_decay={weight_decay})",
        unsupported_args={"amsgrad": "optax.adamw has no amsgrad; chain optax.scale_by_amsgrad, "
                                     "optax.add_decayed_weights and optax.scale_by_learning_rate",
                          "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.Adam",
        jax="optax.amsgrad",
        variant="amsgrad",
        status="caveat",
        torch_example=PARAM + "opt = torch.optim.Adam([p], lr=1e-3, amsgrad=True)" + TORCH_LOOP,
        jax_example="opt = optax.amsgrad(1e-3)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=ALGO_TOL,
        notes=("Not the same algorithm. torch keeps the running max of the raw second moment v and "
               "divides it by the current bias correction (1 - b2^t); optax.amsgrad keeps the running max of "
               "the bias-corrected v / (1 - b2^t). After a large gradient followed by small ones, torch's "
               "denominator shrinks as 1 - b2^t grows while optax's stays at its maximum: optax takes smaller steps.",
               "Measured on 20 steps at lr=1e-3, |g| < 3: up to 5.3e-3 on hypothesis draws and 8.5e-3 for the "
               "worst sequence found (one gradient of 2.8, then 0.85 repeated): about 8 steps' worth of lr.",
               "optax.amsgrad(bias_correction_nu=False) is not torch's either (it drops the 1 - b2^t factor)."),
        differences=(
            _diff("one large gradient then small ones: torch's max(v) / (1 - b2^t) decays, optax's max(v / (1 - b2^t)) "
                  "does not",
                  "opt = torch.optim.Adam([p], lr=0.1, amsgrad=True)", "opt = optax.amsgrad(0.1)",
                  "[1.0] + [0.1] * 19", 0.1),
        ),
        sig=ADAM_SIG,
        template="optax.amsgrad({lr}, *{betas?}, eps={eps?})",
        unsupported_args={"weight_decay": L2_CHAIN, "maximize": MAXIMIZE,
                          "decoupled_weight_decay": "chain optax.add_decayed_weights after optax.scale_by_amsgrad"},
    ),
    Record(
        torch="torch.optim.RMSprop",
        jax="optax.rmsprop",
        torch_example=PARAM + "opt = torch.optim.RMSprop([p], lr=0.01)" + TORCH_LOOP,
        jax_example=(
            "opt = optax.rmsprop(0.01, decay=0.99, eps=1e-08, eps_in_sqrt=False, centered=False, momentum=0)"
            + JAX_LOOP
        ),
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Two silent defaults differ. optax.rmsprop's decay is 0.9 (torch's alpha: 0.99). optax puts eps "
               "inside the square root (eps_in_sqrt=True: g / sqrt(v + eps)); torch adds it outside "
               "(g / (sqrt(v) + eps)). Pass decay=alpha and eps_in_sqrt=False.",),
        differences=(
            _diff("default decay: optax.rmsprop 0.9, torch alpha 0.99",
                  "opt = torch.optim.RMSprop([p], lr=0.01)", "opt = optax.rmsprop(0.01, eps_in_sqrt=False)",
                  "[1.0, -0.5] * 10", 0.02),
            _diff("eps placement: optax.rmsprop divides by sqrt(v + eps), torch by sqrt(v) + eps (small gradients)",
                  "opt = torch.optim.RMSprop([p], lr=0.01)", "opt = optax.rmsprop(0.01, decay=0.99)",
                  "[1e-4] * 20", 0.05),
        ),
        sig=RMSPROP_SIG,
        template="optax.rmsprop({lr}, decay={alpha}, eps={eps}, eps_in_sqrt=False, centered={centered}, "
                 "momentum={momentum})",
        unsupported_args={"weight_decay": L2_CHAIN, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.RMSprop",
        jax="optax.rmsprop",
        variant="momentum_centered",
        torch_example=(PARAM + "opt = torch.optim.RMSprop([p], lr=0.01, momentum=momentum, centered=centered)"
                       + TORCH_LOOP),
        jax_example=(
            "opt = optax.rmsprop(0.01, decay=0.99, eps=1e-08, eps_in_sqrt=False, centered=centered, "
            "momentum=momentum)" + JAX_LOOP
        ),
        inputs=INPUTS + (Choice("momentum", (0.0, 0.9)), Choice("centered", (False, True))),
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("centered: both divide by sqrt(E[g^2] - E[g]^2) + eps (eps_in_sqrt=False).",
               "momentum: torch's buffer accumulates g / denominator and is scaled by lr at the step; optax "
               "traces the lr-scaled update, the same sequence for a constant learning rate."),
        sig=RMSPROP_SIG,
        template="optax.rmsprop({lr}, decay={alpha}, eps={eps}, eps_in_sqrt=False, centered={centered}, "
                 "momentum={momentum})",
        unsupported_args={"weight_decay": L2_CHAIN, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.Adagrad",
        jax="optax.adagrad",
        status="caveat",
        torch_example=PARAM + "opt = torch.optim.Adagrad([p], lr=0.1)" + TORCH_LOOP,
        jax_example="opt = optax.adagrad(0.1, initial_accumulator_value=0, eps=(1e-10) ** 2)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("optax adds eps inside the square root (g / sqrt(sum + eps)); torch outside "
               "(g / (sqrt(sum) + eps)). Passing torch's eps squared keeps the same scale; the update then "
               "differs by a relative eps / sqrt(sum of g^2) at most: below float32 resolution once "
               "sqrt(sum of g^2) > 1e-3 with torch's eps=1e-10, 1e-4 relative at 1e-6.",
               "Defaults differ: optax initial_accumulator_value=0.1 and eps=1e-7 vs torch 0 and 1e-10."),
        differences=(
            _diff("defaults: optax.adagrad starts the accumulator at 0.1 (torch: 0) and eps is 1e-7 inside the sqrt",
                  "opt = torch.optim.Adagrad([p], lr=0.1)", "opt = optax.adagrad(0.1)", "[0.5] * 20", 0.01),
            _diff("eps unsquared inside the sqrt: tiny gradients take much smaller steps than in torch",
                  "opt = torch.optim.Adagrad([p], lr=0.1)",
                  "opt = optax.adagrad(0.1, initial_accumulator_value=0, eps=1e-10)", "[1e-6] * 20", 0.1),
        ),
        sig="params, lr=0.01, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, foreach=None, "
            "*, maximize=False, differentiable=False, fused=None",
        template="optax.adagrad({lr}, initial_accumulator_value={initial_accumulator_value}, eps=({eps}) ** 2)",
        unsupported_args={"lr_decay": "pass a schedule: lambda step: lr / (1 + step * lr_decay)",
                          "weight_decay": L2_CHAIN, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.Adadelta",
        jax="optax.adadelta",
        torch_example=PARAM + "opt = torch.optim.Adadelta([p], lr=1.0, weight_decay=0.01)" + TORCH_LOOP,
        jax_example="opt = optax.adadelta(1.0, rho=0.9, eps=1e-06, weight_decay=0.01)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Same update, eps inside both square roots; weight_decay is added to the gradient first in both.",
               "optax.adadelta's learning_rate defaults to None: pass torch's lr (default 1.0) explicitly."),
        sig="params, lr=1.0, rho=0.9, eps=1e-06, weight_decay=0, foreach=None, *, capturable=False, "
            "maximize=False, differentiable=False",
        template="optax.adadelta({lr}, rho={rho}, eps={eps}, weight_decay={weight_decay})",
        unsupported_args={"maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.Adamax",
        jax="optax.adamax",
        torch_example=PARAM + "opt = torch.optim.Adamax([p], lr=2e-3)" + TORCH_LOOP,
        jax_example="opt = optax.adamax(2e-3)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Both keep u = max(b2 * u, |g| + eps) and bias-correct the first moment only.",),
        sig="params, lr=0.002, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, foreach=None, *, maximize=False, "
            "differentiable=False, capturable=False",
        template="optax.adamax({lr}, *{betas?}, eps={eps?})",
        unsupported_args={"weight_decay": L2_CHAIN, "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.NAdam",
        jax="optax.nadam",
        status="caveat",
        torch_example=PARAM + "opt = torch.optim.NAdam([p], lr=1e-3)" + TORCH_LOOP,
        jax_example="opt = optax.nadam(1e-3)" + JAX_LOOP,
        inputs=INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=ALGO_TOL,
        notes=("Not the same momentum. torch's NAdam uses Dozat's momentum schedule "
               "mu_t = b1 * (1 - 0.5 * 0.96 ** (t * momentum_decay)): about 0.45 at the start, reaching 0.9 only "
               "after thousands of steps. optax.nadam uses the constant b1. No optax option reproduces the "
               "schedule; momentum_decay=0 in torch does not either (mu = b1 / 2).",
               "Measured on 20 steps at lr=1e-3, |g| < 3: up to 6.2e-3 on hypothesis draws and 6.9e-3 for the "
               "worst sequence found: about 7 steps' worth of lr, largest early in training."),
        differences=(
            _diff("momentum schedule: torch's mu_t starts near b1 / 2, optax.nadam uses b1",
                  "opt = torch.optim.NAdam([p], lr=0.1)", "opt = optax.nadam(0.1)", "[1.0, -1.0] * 10", 0.05),
        ),
        sig="params, lr=0.002, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, momentum_decay=0.004, "
            "decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False",
        template="optax.nadam({lr}, *{betas?}, eps={eps?})",
        unsupported_args={"weight_decay": L2_CHAIN, "decoupled_weight_decay": "optax.nadamw",
                          "momentum_decay": "optax.nadam has no momentum schedule", "maximize": MAXIMIZE},
    ),
    Record(
        torch="torch.optim.RAdam",
        jax="optax.radam",
        status="caveat",
        torch_example=PARAM + "opt = torch.optim.RAdam([p], lr=1e-3)" + TORCH_LOOP,
        jax_example="opt = optax.radam(1e-3)" + JAX_LOOP,
        # The stated condition |g| >> 1e-7, as drawn inputs (hypothesis finds g = 6e-8 otherwise).
        inputs=(T("p0", "N", grad=False), T("grads", "20,N", low=0.015625, high=3.0, grad=False)),
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Same rectification: both switch to the adaptive step once rho_t passes 5 (torch: rho_t > 5, "
               "optax: rho_t >= threshold=5.0; rho_t is never exactly 5 for b2=0.999, the switch is at step 6).",
               "eps differs: torch adds eps to sqrt(v) before the bias correction, i.e. eps / sqrt(1 - b2^t) "
               "on the corrected scale (13x eps at step 6); optax adds eps to sqrt(v_hat). Equal within float32 "
               "while |g| >> 1e-7; the Difference shows gradients of 1e-7."),
        differences=(
            _diff("eps placement: torch's effective eps is eps / sqrt(1 - b2^t), visible for gradients near 1e-7",
                  "opt = torch.optim.RAdam([p], lr=0.1)", "opt = optax.radam(0.1)", "[1e-7] * 20", 0.02),
        ),
        sig="params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, decoupled_weight_decay=False, *, "
            "foreach=None, maximize=False, capturable=False, differentiable=False",
        template="optax.radam({lr}, *{betas?}, eps={eps?})",
        unsupported_args={"weight_decay": L2_CHAIN, "maximize": MAXIMIZE,
                          "decoupled_weight_decay": "chain optax.add_decayed_weights after optax.scale_by_radam"},
    ),
    Record(
        torch="torch.optim.Adam",
        jax="optax.multi_transform",
        variant="param_groups",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "b = torch.nn.Parameter(b0.clone())\n"
            "opt = torch.optim.Adam([{'params': [w]}, {'params': [b], 'lr': 1e-2}], lr=1e-3)\n"
            "traj = {'w': [], 'b': []}\n"
            "for g_w, g_b in zip(gw, gb):\n"
            "    w.grad, b.grad = g_w.clone(), g_b.clone()\n"
            "    opt.step()\n"
            "    traj['w'].append(w.detach().clone())\n"
            "    traj['b'].append(b.detach().clone())\n"
            "out = {k: torch.stack(v) for k, v in traj.items()}"
        ),
        jax_example=(
            "opt = optax.multi_transform({'base': optax.adam(1e-3), 'fast': optax.adam(1e-2)},\n"
            "                            {'w': 'base', 'b': 'fast'})\n"
            "params = {'w': w0, 'b': b0}\n"
            "state = opt.init(params)\n"
            "traj = {'w': [], 'b': []}\n"
            "for g_w, g_b in zip(gw, gb):\n"
            "    updates, state = opt.update({'w': g_w, 'b': g_b}, state, params)\n"
            "    params = optax.apply_updates(params, updates)\n"
            "    traj['w'].append(params['w'])\n"
            "    traj['b'].append(params['b'])\n"
            "out = {k: jnp.stack(v) for k, v in traj.items()}"
        ),
        inputs=GROUP_INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("Each torch param group becomes one optax transformation, chosen per leaf by a label tree "
               "with the structure of the parameters (or a function params -> labels).",),
        reason="param groups are lists of tensors with per-group options; optax needs a label tree over the "
               "parameter pytree: optax.multi_transform({label: optimizer}, labels)",
    ),
    Record(
        torch="torch.optim.AdamW",
        jax="optax.adamw(mask=...)",
        variant="param_groups",
        status="manual",
        torch_example=(
            "w = torch.nn.Parameter(w0.clone())\n"
            "b = torch.nn.Parameter(b0.clone())\n"
            "groups = [{'params': [w], 'weight_decay': 0.1}, {'params': [b], 'weight_decay': 0.0}]\n"
            "opt = torch.optim.AdamW(groups, lr=1e-2, betas=(0.9, 0.95))\n"
            "traj = {'w': [], 'b': []}\n"
            "for g_w, g_b in zip(gw, gb):\n"
            "    w.grad, b.grad = g_w.clone(), g_b.clone()\n"
            "    opt.step()\n"
            "    traj['w'].append(w.detach().clone())\n"
            "    traj['b'].append(b.detach().clone())\n"
            "out = {k: torch.stack(v) for k, v in traj.items()}"
        ),
        jax_example=(
            "params = {'w': w0, 'b': b0}\n"
            "decay = jax.tree.map(lambda x: x.ndim >= 2, params)\n"
            "opt = optax.adamw(1e-2, b1=0.9, b2=0.95, weight_decay=0.1, mask=decay)\n"
            "state = opt.init(params)\n"
            "traj = {'w': [], 'b': []}\n"
            "for g_w, g_b in zip(gw, gb):\n"
            "    updates, state = opt.update({'w': g_w, 'b': g_b}, state, params)\n"
            "    params = optax.apply_updates(params, updates)\n"
            "    traj['w'].append(params['w'])\n"
            "    traj['b'].append(params['b'])\n"
            "out = {k: jnp.stack(v) for k, v in traj.items()}"
        ),
        inputs=GROUP_INPUTS,
        checks=("forward", "jit"),
        why_not={"grad": "an optimizer: steps on given gradients under no_grad; the output is a detached trajectory"},
        tol=TRAJ_TOL,
        notes=("nanoGPT's two groups (decay matrices, not biases or norms) are one optax.adamw with a mask: "
               "a tree of booleans (or a function params -> booleans) saying which leaves decay.",),
        reason="param groups that differ only in weight_decay become optax.adamw(..., mask=tree of booleans); "
               "the mask is built from the parameter pytree (e.g. x.ndim >= 2), not from lists of tensors",
    ),
]
