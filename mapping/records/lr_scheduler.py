"""`torch.optim.lr_scheduler` -> optax schedules, verified by the table of learning rates of 30 steps.

The torch example records the learning rate each optimizer step uses (`opt.param_groups[0]['lr']`
read before `opt.step()`, i.e. after the previous `sched.step()`); the JAX example evaluates the
schedule at counts 0..29 the way optax does (a traced int32 count). optax's count is the number of
updates already applied, so `schedule(k)` is the learning rate of update k: the value torch's
optimizer holds after k calls of `sched.step()`.

Schedules take the optimizer's base learning rate as an argument; the rewrites call it `base_lr`.
"""

from mapping.record import Choice, Difference, Record, T

STEPS = 30

# The torch prologue before the scheduler line, and the loop after it.
TORCH_OPT = "opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=base_lr)\n"
TORCH_LOOP = (
    "\nlrs = []\n"
    f"for _ in range({STEPS}):\n"
    "    lrs.append(opt.param_groups[0]['lr'])\n"
    "    opt.step()\n"
    "    sched.step()\n"
    "out = torch.tensor(lrs)"
)
JAX_TABLE = f"\nout = jax.vmap(sched)(jnp.arange({STEPS}))"

BASE_LR = Choice("base_lr", (0.1, 1.0))
BASE_LR_NOTE = "base_lr is the optimizer's learning rate: optax schedules carry it themselves."
LAST_EPOCH = "resuming: offset the count instead (lambda step: schedule(step + start))"

# A self-contained table for the Difference snippets (base_lr 0.1, 30 steps).
D_TORCH = (
    "opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)\n"
    "sched = {ctor}\n"
    "lrs = []\n"
    f"for _ in range({STEPS}):\n"
    "    lrs.append(opt.param_groups[0]['lr'])\n"
    "    opt.step()\n"
    "    sched.step()\n"
    "out = torch.tensor(lrs)"
)
D_JAX = "sched = {ctor}\n" + f"out = jax.vmap(sched)(jnp.arange({STEPS}))"

RECORDS = [
    Record(
        torch="torch.optim.lr_scheduler.StepLR",
        jax="optax.exponential_decay",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.StepLR(opt, step_size=step_size, gamma=gamma)"
        + TORCH_LOOP,
        jax_example="sched = optax.exponential_decay(base_lr, transition_steps=step_size, decay_rate=gamma, "
                    "staircase=True)" + JAX_TABLE,
        inputs=(BASE_LR, Choice("step_size", (1, 7, 10)), Choice("gamma", (0.1, 0.5))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE, "staircase=True gives gamma ** (step // step_size)."),
        sig="optimizer, step_size, gamma=0.1, last_epoch=-1",
        template="optax.exponential_decay(base_lr, transition_steps={step_size}, decay_rate={gamma}, staircase=True)",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.MultiStepLR",
        jax="optax.piecewise_constant_schedule",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=milestones, "
                                  "gamma=gamma)" + TORCH_LOOP,
        jax_example="sched = optax.piecewise_constant_schedule(base_lr, dict.fromkeys(milestones, gamma))"
        + JAX_TABLE,
        inputs=(BASE_LR, Choice("milestones", ([5, 12], [10, 20, 25], [1])), Choice("gamma", (0.1, 0.5))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE,
               "The learning rate is scaled at step == milestone in both.",
               "A milestone repeated in torch's list multiplies twice; the dict keeps it once."),
        sig="optimizer, milestones, gamma=0.1, last_epoch=-1",
        template="optax.piecewise_constant_schedule(base_lr, dict.fromkeys({milestones}, {gamma}))",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.ExponentialLR",
        jax="optax.exponential_decay",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=gamma)" + TORCH_LOOP,
        jax_example="sched = optax.exponential_decay(base_lr, transition_steps=1, decay_rate=gamma)" + JAX_TABLE,
        inputs=(BASE_LR, Choice("gamma", (0.9, 0.99))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE,),
        sig="optimizer, gamma, last_epoch=-1",
        template="optax.exponential_decay(base_lr, transition_steps=1, decay_rate={gamma})",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.CosineAnnealingLR",
        jax="optax.cosine_decay_schedule",
        status="caveat",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=T_max, "
                                  "eta_min=eta_min)" + TORCH_LOOP,
        jax_example="sched = optax.cosine_decay_schedule(base_lr, decay_steps=T_max, alpha=eta_min / base_lr)"
        + JAX_TABLE,
        inputs=(BASE_LR, Choice("T_max", (30, 50)), Choice("eta_min", (0.0, 1e-4))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE,
               "Equal for steps <= T_max. After T_max torch's cosine keeps going (back up towards base_lr, "
               "period 2 * T_max); optax stays at eta_min. Set T_max to the total number of steps.",
               "alpha is eta_min relative to base_lr."),
        differences=(
            Difference(
                note="after T_max torch's learning rate rises again; optax's stays at eta_min",
                torch=D_TORCH.format(ctor="torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)"),
                jax=D_JAX.format(ctor="optax.cosine_decay_schedule(0.1, decay_steps=10)"),
                min_diff=0.09,
            ),
        ),
        sig="optimizer, T_max, eta_min=0.0, last_epoch=-1",
        template="optax.cosine_decay_schedule(base_lr, decay_steps={T_max}, alpha={eta_min} / base_lr)",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.LinearLR",
        jax="optax.linear_schedule",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.LinearLR(opt, start_factor=start_factor, "
                                  "end_factor=end_factor, total_iters=total_iters)" + TORCH_LOOP,
        jax_example="sched = optax.linear_schedule(base_lr * start_factor, base_lr * end_factor, "
                    "transition_steps=total_iters)" + JAX_TABLE,
        inputs=(BASE_LR, Choice("start_factor", (1 / 3, 0.01)), Choice("end_factor", (1.0, 0.1)),
                Choice("total_iters", (5, 20))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE,),
        sig="optimizer, start_factor=0.3333333333333333, end_factor=1.0, total_iters=5, last_epoch=-1",
        template="optax.linear_schedule(base_lr * {start_factor}, base_lr * {end_factor}, "
                 "transition_steps={total_iters})",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.OneCycleLR",
        jax="optax.cosine_onecycle_schedule",
        status="caveat",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=max_lr, "
                                  "total_steps=total_steps, pct_start=pct_start)" + TORCH_LOOP,
        jax_example="sched = optax.cosine_onecycle_schedule(total_steps - 1, max_lr, pct_start=pct_start, "
                    "div_factor=25.0, final_div_factor=10000.0)" + JAX_TABLE,
        inputs=(BASE_LR, Choice("max_lr", (0.1, 1e-3)), Choice("total_steps", (40, 60, 100)),
                Choice("pct_start", (0.3, 0.25))),
        checks=("forward", "jit"),
        notes=("torch's cycle ends at step total_steps - 1 and peaks at step pct_start * total_steps - 1; "
               "optax's ends at transition_steps and peaks at int(pct_start * transition_steps). Passing "
               "total_steps - 1 makes both equal when pct_start * total_steps is an integer; otherwise torch's "
               "peak falls between steps and the curves differ by up to 6% of max_lr (measured: total_steps=30, "
               "pct_start=0.25, torch's peak at step 6.5) and 24% for total_steps=10.",
               "Passing total_steps unchanged shifts the whole cycle by one step (see the Difference).",
               "torch also cycles the optimizer's momentum (beta1) between 0.95 and 0.85 by default "
               "(cycle_momentum=True); optax schedules the learning rate only: use "
               "optax.inject_hyperparams with a second schedule for momentum, or pass cycle_momentum=False.",
               "The optimizer's own lr is ignored by torch here: the cycle starts at max_lr / div_factor."),
        differences=(
            Difference(
                note="transition_steps=total_steps is one step late against torch (use total_steps - 1)",
                torch=D_TORCH.format(ctor="torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=30)"),
                jax=D_JAX.format(ctor="optax.cosine_onecycle_schedule(30, 1.0)"),
                min_diff=0.05,
            ),
        ),
        sig="optimizer, max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3, "
            "anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0, "
            "final_div_factor=10000.0, three_phase=False, last_epoch=-1",
        template="optax.cosine_onecycle_schedule({total_steps} - 1, {max_lr}, pct_start={pct_start}, "
                 "div_factor={div_factor}, final_div_factor={final_div_factor})",
        unsupported_args={"epochs": "pass total_steps = epochs * steps_per_epoch",
                          "steps_per_epoch": "pass total_steps = epochs * steps_per_epoch",
                          "anneal_strategy": "'linear': optax.piecewise_interpolate_schedule('linear', ...)",
                          "three_phase": "three phases: optax.piecewise_interpolate_schedule with three boundaries",
                          "last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.LambdaLR",
        jax="a schedule function: lambda step: base_lr * f(step)",
        status="caveat",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=lambda step: "
                                  "(1 + step) ** -0.5)" + TORCH_LOOP,
        jax_example="sched = lambda step: base_lr * (1 + step) ** -0.5" + JAX_TABLE,
        inputs=(BASE_LR,),
        checks=("forward", "jit"),
        notes=("An optax schedule is any function of the step count, but optax calls it with a traced int32 "
               "array: lr_lambda must be traceable. Python `if`, min/max or math.* on the step fail; use "
               "jnp.where, jnp.minimum, jnp.cos.",
               "A list of lambdas (one per param group) needs one schedule per optax.multi_transform label."),
        sig="optimizer, lr_lambda, last_epoch=-1",
        template="lambda step: base_lr * ({lr_lambda})(step)",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.LambdaLR",
        jax="optax.warmup_cosine_decay_schedule",
        variant="warmup_cosine",
        status="manual",
        torch_example=(
            "import math\n"
            "def get_lr(it):  # nanoGPT: linear warm-up, cosine decay to min_lr, then constant\n"
            "    if it < warmup_iters:\n"
            "        return learning_rate * (it + 1) / (warmup_iters + 1)\n"
            "    if it > lr_decay_iters:\n"
            "        return min_lr\n"
            "    ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)\n"
            "    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (learning_rate - min_lr)\n"
            "learning_rate, min_lr = 6e-4, 6e-5\n"
            "opt = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=learning_rate)\n"
            "sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda it: get_lr(it) / learning_rate)"
            + TORCH_LOOP
        ),
        jax_example=(
            "learning_rate, min_lr = 6e-4, 6e-5\n"
            "sched = optax.warmup_cosine_decay_schedule(\n"
            "    init_value=learning_rate / (warmup_iters + 1), peak_value=learning_rate,\n"
            "    warmup_steps=warmup_iters, decay_steps=lr_decay_iters, end_value=min_lr)"
            + JAX_TABLE
        ),
        inputs=(Choice("warmup_iters", (5, 10)), Choice("lr_decay_iters", (20, 30, 60))),
        checks=("forward", "jit"),
        notes=("nanoGPT's warm-up lr * (it + 1) / (warmup_iters + 1) is the linear ramp from "
               "lr / (warmup_iters + 1) at step 0 to lr at step warmup_iters; decay_steps counts the warm-up, "
               "like lr_decay_iters; after it both stay at min_lr.",),
        reason="the schedule is a Python function of the step (branches, math.cos) that optax cannot trace "
               "as is; it is exactly optax.warmup_cosine_decay_schedule with init_value=lr / (warmup + 1)",
    ),
    Record(
        torch="torch.optim.lr_scheduler.SequentialLR",
        jax="optax.join_schedules",
        torch_example=(
            TORCH_OPT
            + "warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=5)\n"
            "decay = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)\n"
            "sched = torch.optim.lr_scheduler.SequentialLR(opt, schedulers=[warm, decay], milestones=[5])"
            + TORCH_LOOP
        ),
        jax_example=(
            "warm = optax.linear_schedule(base_lr * 0.1, base_lr * 1.0, transition_steps=5)\n"
            "decay = optax.exponential_decay(base_lr, transition_steps=1, decay_rate=0.9)\n"
            "sched = optax.join_schedules([warm, decay], boundaries=[5])" + JAX_TABLE
        ),
        inputs=(BASE_LR,),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE,
               "Both restart the next schedule's count at the milestone (optax passes step - boundary)."),
        sig="optimizer, schedulers, milestones, last_epoch=-1",
        template="optax.join_schedules({schedulers}, boundaries={milestones})",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.ConstantLR",
        jax="optax.join_schedules",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.ConstantLR(opt, factor=factor, "
                                  "total_iters=total_iters)" + TORCH_LOOP,
        jax_example="sched = optax.join_schedules([optax.constant_schedule(base_lr * factor), "
                    "optax.constant_schedule(base_lr)], [total_iters])" + JAX_TABLE,
        inputs=(BASE_LR, Choice("factor", (1 / 3, 0.5)), Choice("total_iters", (5, 12))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE,),
        sig="optimizer, factor=0.3333333333333333, total_iters=5, last_epoch=-1",
        template="optax.join_schedules([optax.constant_schedule(base_lr * {factor}), "
                 "optax.constant_schedule(base_lr)], [{total_iters}])",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.PolynomialLR",
        jax="optax.polynomial_schedule",
        torch_example=TORCH_OPT + "sched = torch.optim.lr_scheduler.PolynomialLR(opt, total_iters=total_iters, "
                                  "power=power)" + TORCH_LOOP,
        jax_example="sched = optax.polynomial_schedule(base_lr, end_value=0.0, power=power, "
                    "transition_steps=total_iters)" + JAX_TABLE,
        inputs=(BASE_LR, Choice("total_iters", (10, 25, 40)), Choice("power", (1.0, 2.0, 0.5))),
        checks=("forward", "jit"),
        notes=(BASE_LR_NOTE, "torch decays to 0 and stays there, like end_value=0.0."),
        sig="optimizer, total_iters=5, power=1.0, last_epoch=-1",
        template="optax.polynomial_schedule(base_lr, end_value=0.0, power={power}, transition_steps={total_iters})",
        unsupported_args={"last_epoch": LAST_EPOCH},
    ),
    Record(
        torch="torch.optim.lr_scheduler.ReduceLROnPlateau",
        jax="optax.contrib.reduce_on_plateau",
        status="manual",
        torch_example=(
            TORCH_OPT
            + "sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=patience, "
              "cooldown=cooldown)\n"
            "lrs = []\n"
            "for v in metrics:\n"
            "    opt.step()\n"
            "    sched.step(v)\n"
            "    lrs.append(opt.param_groups[0]['lr'])\n"
            "out = torch.tensor(lrs)"
        ),
        jax_example=(
            "opt = optax.chain(optax.sgd(base_lr),\n"
            "                  optax.contrib.reduce_on_plateau(factor=0.5, patience=patience + 1, rtol=1e-4,\n"
            "                                                  cooldown=cooldown))\n"
            "p = jnp.zeros(1)\n"
            "state = opt.init(p)\n"
            "lrs = []\n"
            "for v in metrics:\n"
            "    _, state = opt.update(jnp.zeros(1), state, p, value=v)\n"
            "    lrs.append(base_lr * state[1].scale)\n"
            "out = jnp.stack(lrs)"
        ),
        # 12 metrics: each rich case reduces twice, so patience, cooldown and factor each decide an entry;
        # every optax update recompiles its lax.cond eagerly (~0.14 s CPU), so steps are the proof's cost.
        inputs=(BASE_LR, T("metrics", "12", low=0.5, high=2.0, grad=False), Choice("patience", (0, 2, 4)),
                Choice("cooldown", (0, 2))),
        checks=("forward", "jit"),
        why_not={"grad": "a schedule: the learning rates are Python floats, outside autograd"},
        notes=("optax reduces when the number of bad steps reaches patience, torch when it exceeds it: "
               "pass patience + 1.",
               "optax's is a gradient transformation that scales the updates, chained after the optimizer; "
               "the metric is passed to every update as value=. The new scale applies to the update it "
               "is computed in, so feed the metric measured before that update (torch applies it from the "
               "next step on: the table compares torch's lr after sched.step(v) with optax's scale after "
               "update(value=v)).",
               "threshold -> rtol (threshold_mode='rel') or atol ('abs'); mode='max': pass -metric; "
               "min_lr -> min_scale=min_lr / base_lr."),
        differences=(
            Difference(
                note="patience: optax reduces after `patience` bad steps, torch after patience + 1",
                torch=(
                    "opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1)\n"
                    "sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)\n"
                    "lrs = []\n"
                    "for _ in range(6):\n"
                    "    sched.step(1.0)\n"
                    "    lrs.append(opt.param_groups[0]['lr'])\n"
                    "out = torch.tensor(lrs)"
                ),
                jax=(
                    "opt = optax.contrib.reduce_on_plateau(factor=0.5, patience=2)\n"
                    "p = jnp.zeros(1)\n"
                    "state = opt.init(p)\n"
                    "lrs = []\n"
                    "for _ in range(6):\n"
                    "    _, state = opt.update(jnp.zeros(1), state, p, value=1.0)\n"
                    "    lrs.append(0.1 * state.scale)\n"
                    "out = jnp.stack(lrs)"
                ),
                min_diff=0.04,
            ),
        ),
        reason="metric-driven: the learning rate depends on values seen at run time. In optax it is a "
               "transformation chained after the optimizer (optax.contrib.reduce_on_plateau) that receives "
               "the metric as update(..., value=metric); patience is off by one against torch",
    ),
]
