"""`torch.nn` loss modules -> functions (a lambda of input and target), like nn.MSELoss in nn.py.

A loss module holds no parameters: `m = nn.BCELoss()` becomes `m = lambda input, target: ...`, the
reduction ('mean' / 'sum' / 'none') becoming jnp.mean / jnp.sum / nothing around the elementwise loss.
"""

from mapping.record import Difference, Record, T, Tol

_LOSS = Tol(1e-5, 1e-5, "float32 reduction over the batch: summation order differs")
_REDUCE = {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'none'": "jnp.asarray"}
_MASKED = {"'mean'": "jnp.mean", "'sum'": "jnp.sum", "'none'": "(lambda l, where: jnp.where(where, l, 0.0))"}
_LEGACY = {"size_average": "deprecated in torch: use reduction", "reduce": "deprecated in torch: use reduction"}
_FN = "Loss modules become functions; reduction='mean' / 'sum' / 'none' -> jnp.mean / jnp.sum / nothing."


def _loss(name: str, expr: str, inputs: tuple, sig: str, args: str = "", holes: dict | None = None,
          status: str = "verified", notes: tuple = (), params: str = "input, target", unsupported: dict | None = None,
          reduce: dict | None = None, where: str = "", reduction: str = "mean", sizes=(1, 4),
          differences: tuple = (), also: tuple = ()) -> Record:
    """One loss module. `expr` is the elementwise loss in terms of `params`; `holes` fills its {arg}s for the
    example (the template keeps them as holes); `where` adds a mask argument to the reduction; `also` are the
    inputs of a second call the proof makes (another form torch accepts, e.g. unbatched)."""
    reduce = reduce or _REDUCE
    filled = expr.format(**(holes or {}))
    mask = f", where={where.format(**(holes or {}))}" if where else ""
    call = f"m({', '.join(s.name for s in inputs)})"
    if also:
        call = f"({call}, m({', '.join(s.name for s in also)}))"
    return Record(
        torch=f"torch.nn.{name}",
        jax="jax.numpy (a function)",
        status=status,
        torch_example=f"m = nn.{name}({args})\nout = {call}",
        jax_example=f"m = lambda {params}: {reduce[repr(reduction)]}({filled}{mask})\nout = {call}",
        inputs=inputs + also,
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        sizes=sizes,
        notes=(_FN, *notes),
        sig=sig,
        template=f"lambda {params}: {{reduction}}({expr}{f', where={where}' if where else ''})",
        values={"reduction": reduce},
        unsupported_args={**_LEGACY, **(unsupported or {})},
        differences=differences,
    )


_STD = "size_average=None, reduce=None, reduction='mean'"


_BCE = "-(target * jnp.maximum(jnp.log(input), -100) + (1 - target) * jnp.maximum(jnp.log1p(-input), -100))"
# Classes on axis 1, or axis 0 for one unbatched (C,) input with a 0-d target (torch accepts both).
_NLL = ("(lambda axis: -jnp.take_along_axis(input, jnp.expand_dims(jnp.where(target == {ignore_index}, 0, target), "
        "axis), axis=axis).squeeze(axis))(1 if input.ndim > 1 else 0)")

def _cosine_near_zero(torch_call: str) -> Difference:
    """The gradient on nearly parallel vectors of small norm: float32 cancellation near 1/(|a||b|)."""
    return Difference(
        note="gradient for b on nearly parallel vectors, a = [1, 2, 3], b = 1e-5 * [1, 2, 3.0001]: float32 "
             "cancellation near 1/(|a||b|) = 7143: torch -5.2485, JAX -5.2495 (float64 -5.2492)",
        torch="a = torch.tensor([[1.0, 2.0, 3.0]])\nb = torch.tensor([[1e-5, 2e-5, 3.0001e-5]], requires_grad=True)\n"
              f"{torch_call}.backward()\nout = b.grad",
        jax="a = jnp.array([[1.0, 2.0, 3.0]])\nout = jax.grad(lambda b: jnp.mean(1 - jnp.sum(a * b, -1) / jnp.sqrt("
            "(jnp.sum(jnp.square(a), -1) + 1e-12) * (jnp.sum(jnp.square(b), -1) + 1e-12))))"
            "(jnp.array([[1e-5, 2e-5, 3.0001e-5]]))",
        min_diff=1e-3)


RECORDS = [
    _loss("L1Loss", "jnp.sign(input - target) * (input - target)", (T("x", "N,M"), T("y", "N,M")), _STD,
          notes=("sign(d) * d is |d| with torch's gradient: 0 where input == target. jnp.abs(input - target) has "
                 "gradient 1 there.",)),
    _loss("BCELoss", _BCE, (T("p", "N,M", low=2 ** -10, high=1 - 2 ** -10), T("t", "N,M", low=0, high=1)),
          "weight=None, " + _STD, status="caveat",
          notes=("torch clamps each log at -100, so p = 0 or 1 gives a finite loss; the rewrite does the same.",
                 "Gradients differ where p is exactly 0 or 1 (torch stays finite, JAX gives inf or nan): checked "
                 "on p in [2^-10, 1 - 2^-10]. Prefer BCEWithLogitsLoss on logits."),
          unsupported={"weight": "multiply the elementwise loss by weight before reducing"}),
    _loss("BCEWithLogitsLoss", "optax.sigmoid_binary_cross_entropy(input, target)",
          (T("x", "N,M", low=-10, high=10), T("t", "N,M", low=0, high=1)),
          "weight=None, size_average=None, reduce=None, reduction='mean', pos_weight=None",
          notes=("optax's formulation (log-sigmoid) and torch's (max(x, 0) - x t + log1p(exp(-|x|))) are both "
                 "stable; they round differently in the last bits.",),
          unsupported={"weight": "multiply the elementwise loss by weight before reducing",
                       "pos_weight": "see torch.nn.functional.binary_cross_entropy_with_logits[pos_weight]"}),
    _loss("NLLLoss", _NLL, (T("x", "N,5"), T("y", "N", "int64", -1, 5)),
          "weight=None, size_average=None, ignore_index=-100, reduce=None, reduction='mean'", args="ignore_index=-1",
          also=(T("v", "5"), T("z", "", "int64", 0, 5)),
          holes={"ignore_index": -1}, where="target != {ignore_index}", reduce=_MASKED, sizes=(2, 6),
          notes=("The input holds log-probabilities (nn.LogSoftmax output), classes on axis 1 (axis 0 for one "
                 "unbatched (C,) input with a 0-d target, which the proof draws too). Ignored targets "
                 "are masked: the mean divides by the number of kept targets, as torch does.",
                 "No target kept at all: torch's mean is nan, and so is JAX's."),
          unsupported={"weight": "multiply by weight[target] and divide the sum by the sum of those weights"}),
    _loss("KLDivLoss", "jax.scipy.special.xlogy(target, target) - target * input",
          (T("x", "N,M", low=-5, high=0), T("t", "N,M", low=0.0009765625, high=1)),
          "size_average=None, reduce=None, reduction='mean', log_target=False", args="reduction='batchmean'",
          reduction="batchmean", status="caveat",
          notes=("The input holds log-probabilities; the target probabilities (log_target=False). xlogy makes "
                 "0 * log 0 = 0, as in torch.",
                 "reduction='mean' averages over every element (torch warns: use 'batchmean', the sum divided "
                 "by the batch size, which is the mathematical KL divergence).",
                 "Where a target is exactly 0 the gradient with respect to the target is nan in JAX (log 0) and "
                 "finite in torch (found by the fuzz profile): checked on targets >= 2^-10."),
          reduce={**_REDUCE, "'batchmean'": "(lambda l: jnp.sum(l) / l.shape[0])"},
          unsupported={"log_target": "with log_target=True the loss is jnp.exp(target) * (target - input)"}),
    _loss("HuberLoss", "optax.huber_loss(input, target, delta={delta})", (T("x", "N,M"), T("y", "N,M")),
          "reduction='mean', delta=1.0", holes={"delta": 1.0},
          notes=("optax.huber_loss is torch's Huber loss: 0.5 d^2 below delta, delta (|d| - delta / 2) above.",)),
    _loss("SmoothL1Loss", "optax.huber_loss(input, target, delta={beta}) / {beta}", (T("x", "N,M"), T("y", "N,M")),
          "size_average=None, reduce=None, reduction='mean', beta=1.0", args="beta=0.5", holes={"beta": 0.5},
          notes=("Smooth L1 is the Huber loss divided by beta (beta = delta). beta=0 (the L1 loss in torch) "
                 "divides by zero here: write jnp.abs(input - target).",)),
    _loss("SoftMarginLoss", "jax.nn.softplus(-target * input)", (T("x", "N,M"), T("y", "N,M", grad=False)), _STD,
          notes=("log(1 + exp(-y x)), written stably as softplus.",)),
    _loss("MultiLabelSoftMarginLoss",
          "-(target * jax.nn.log_sigmoid(input) + (1 - target) * jax.nn.log_sigmoid(-input)).mean(-1)",
          (T("x", "N,C", low=-5, high=5), T("t", "N,C", low=0, high=1)), "weight=None, " + _STD,
          notes=("The loss of a sample is the mean over its classes; the reduction then runs over samples.",),
          unsupported={"weight": "multiply by the class weights before the mean over classes"}),
    _loss("HingeEmbeddingLoss",
          "jnp.where(target != 1, jnp.maximum(0.0, {margin} - input), 0.0) + jnp.where(target != -1, input, 0.0)",
          (T("x", "N,M"), T("y", "N,M")), "margin=1.0, " + _STD, holes={"margin": 1.0}, status="caveat",
          notes=("Written as torch computes it, so targets other than +-1 give the same values too.",
                 "At input == margin exactly the gradient differs: torch 0, jnp.maximum(0, margin - input) splits "
                 "the tie (0.5 of the cotangent; found by the fuzz profile). Values agree everywhere.")),
    _loss("PoissonNLLLoss", "jnp.exp(input) - target * input", (T("x", "N,M"), T("y", "N,M", low=0, high=5)),
          "log_input=True, full=False, size_average=None, eps=1e-08, reduce=None, reduction='mean'",
          notes=("With log_input=True (the default) the input is the log of the rate.",),
          unsupported={"log_input": "log_input=False: input - target * jnp.log(input + eps)",
                       "full": "full=True adds Stirling's term target*log(target) - target + 0.5*log(2 pi target) "
                               "where target > 1"}),
    _loss("GaussianNLLLoss",
          "0.5 * (jnp.log(jnp.maximum(var, {eps})) + (input - target) ** 2 / jnp.maximum(var, {eps}))",
          (T("x", "N,M"), T("y", "N,M"), T("var", "N,M", low=0.125, high=3)),
          "*, full=False, eps=1e-06, reduction='mean'",
          holes={"eps": 1e-6}, params="input, target, var",
          notes=("var is clamped at eps in both (torch clamps without gradient through the clamp; the values "
                 "here stay above it).",),
          unsupported={"full": "full=True adds 0.5 * log(2 pi) to every element"}),
    _loss("MarginRankingLoss", "jnp.maximum(0.0, -target * (input1 - input2) + {margin})",
          (T("x1", "N"), T("x2", "N"), T("y", "N")), "margin=0.0, " + _STD, params="input1, input2, target",
          holes={"margin": 0.5}, args="margin=0.5", sizes=(2, 6)),
    _loss("TripletMarginLoss",
          "jnp.maximum(jnp.linalg.norm(anchor - positive + {eps}, axis=-1) - "
          "jnp.linalg.norm(anchor - negative + {eps}, axis=-1) + {margin}, 0.0)",
          (T("a", "N,D"), T("p", "N,D"), T("n", "N,D")), "margin=1.0, p=2.0, eps=1e-06, swap=False, " + _STD,
          params="anchor, positive, negative", holes={"eps": 1e-6, "margin": 1.0}, sizes=(2, 5),
          notes=("Distances are torch's pairwise_distance: the norm of a - b + eps.",),
          unsupported={"p": "other norms: jnp.linalg.norm(..., ord=p, axis=-1)",
                       "swap": "swap=True also uses the positive-negative distance (the smaller of the two)"}),
    _loss("MultiMarginLoss",
          "(jax.nn.relu({margin} - jnp.take_along_axis(input, target[:, None], axis=1) + input).sum(1) "
          "- jnp.maximum(0.0, {margin})) / input.shape[1]",
          (T("x", "N,C", unique=True, normal=True), T("y", "N", "int64", 0, 4)),
          "p=1, margin=1.0, weight=None, " + _STD, holes={"margin": 1.0}, sizes=(4, 6), status="caveat",
          notes=("The sum over classes includes the target class, whose term is max(0, margin): subtracted "
                 "back, as torch skips it (a negative margin adds nothing).",
                 "jax.nn.relu, not jnp.maximum(0, .): at a hinge term of exactly 0 (margin - x[y] + x[j] == 0) "
                 "torch's gradient is 0, as jax.nn.relu's; jnp.maximum would split the tie (0.5 of the cotangent).",
                 "Subnormal inputs: XLA:CPU flushes them to 0, so a hinge term that is a subnormal in torch is 0 in "
                 "JAX and its gradient is lost (x = [[1, 1e-40]]: torch [-0.5, 0.5], JAX [0, 0]); the draws keep "
                 "values normal."),
          differences=(Difference(
              note="gradient with a subnormal input (x = [[1, 1e-40]], target 0): torch [-0.5, 0.5], JAX [0, 0] "
                   "(XLA:CPU flushes 1e-40 to 0)",
              torch="x = torch.tensor([[1.0, 1e-40]], requires_grad=True)\n"
                    "nn.MultiMarginLoss()(x, torch.tensor([0])).backward()\nout = x.grad",
              jax="m = lambda input, target: jnp.mean((jax.nn.relu(1.0 - jnp.take_along_axis(input, "
                  "target[:, None], axis=1) + input).sum(1) - jnp.maximum(0.0, 1.0)) / input.shape[1])\n"
                  "out = jax.grad(m)(jnp.array([[1.0, 1e-40]]), jnp.array([0]))",
              min_diff=0.4),),
          unsupported={"p": "p=2 squares each hinge term", "weight": "multiply each hinge term by weight[target]"}),
    _loss("CosineEmbeddingLoss",
          "(lambda c: jnp.where(target == 1, 1 - c, jnp.where((target == -1) & (c >= {margin}), c - {margin}, 0.0)))"
          "(jnp.sum(input1 * input2, -1) / jnp.sqrt((jnp.sum(jnp.square(input1), -1) + 1e-12) * "
          "(jnp.sum(jnp.square(input2), -1) + 1e-12)))",
          (T("a", "N,C", low=0.25, high=3), T("b", "N,C", low=0.25, high=3), T("y", "N", "int64", -1, 2)),
          "margin=0.0, " + _STD, status="caveat",
          params="input1, input2, target", holes={"margin": 0.5}, args="margin=0.5", sizes=(2, 6),
          notes=("As torch.nn.functional.cosine_embedding_loss: y = 1 gives 1 - cos, y = -1 gives max(0, cos - margin) "
                 "(torch's clamp_min gradient, 1 at the tie, hence the jnp.where), other targets 0; the cosine is "
                 "torch's a.b / sqrt((|a|^2 + 1e-12)(|b|^2 + 1e-12)).",
                 "Nearly parallel vectors of small norm: the gradient is a float32 cancellation of two terms of size "
                 "1/(|a||b|), and torch and JAX round it differently (a = [1, 2, 3], b = 1e-5 * [1, 2, 3.0001]: "
                 "1/(|a||b|) = 7143; gradient for b torch -5.2485, JAX -5.2495, float64 -5.2492: both off by about "
                 "1e-4 relative, 2e-3 apart). The gap grows as 1/(|a||b|); the draws keep every value in [0.25, 3), "
                 "so both norms stay above 0.25."),
          differences=(_cosine_near_zero("nn.CosineEmbeddingLoss()(a, b, torch.tensor([1]))"),)),
    _loss("MultiLabelMarginLoss",
          "(lambda v: (jnp.maximum(0.0, 1 - jnp.take_along_axis(input, jnp.where(v, target, 0), -1)[..., :, None] "
          "+ input[..., None, :]) * (v[..., :, None] & ~jnp.any((target[..., :, None] == "
          "jnp.arange(input.shape[-1])) & v[..., :, None], -2)[..., None, :])).sum((-2, -1)) / input.shape[-1])"
          "(jnp.cumprod(target >= 0, -1).astype(bool))",
          (T("x", "N,4"), T("y", "N,4", "int64", -1, 4)), _STD, sizes=(1, 5),
          notes=("The target holds class indices, ended by the first -1 (what follows is ignored); the loss of a "
                 "sample sums max(0, 1 - (x[j] - x[k])) over its target classes j and its other classes k, divided "
                 "by the number of classes. A repeated target index counts once per occurrence, as in torch.",)),
    _loss("TripletMarginWithDistanceLoss",
          "jnp.maximum(jnp.linalg.norm(anchor - positive + 1e-6, axis=-1) - "
          "jnp.linalg.norm(anchor - negative + 1e-6, axis=-1) + {margin}, 0.0)",
          (T("a", "N,D"), T("p", "N,D"), T("n", "N,D")), "*, distance_function=None, margin=1.0, swap=False, "
          "reduction='mean'", params="anchor, positive, negative", holes={"margin": 1.0}, sizes=(2, 5),
          notes=("The default distance is torch's pairwise_distance (the norm of a - b + 1e-6), as "
                 "nn.TripletMarginLoss.",),
          unsupported={"distance_function": "write the distance in jnp and use it in place of the two norms",
                       "swap": "swap=True also uses the positive-negative distance (the smaller of the two)"}),
    Record(
        torch="torch.nn.CTCLoss",
        jax="optax.ctc_loss",
        status="manual",
        torch_example=(
            "m = nn.CTCLoss()\n"
            "out = m(x.log_softmax(2), y, torch.full((2,), 6), torch.tensor([3, 2]))"
        ),
        jax_example=(
            "il, tl = jnp.full((2,), 6), jnp.array([3, 2])\n"
            "logit_pad = (jnp.arange(6)[None, :] >= il[:, None]).astype(jnp.float32)\n"
            "label_pad = (jnp.arange(3)[None, :] >= tl[:, None]).astype(jnp.float32)\n"
            "per = optax.ctc_loss(jnp.transpose(jax.nn.log_softmax(x, 2), (1, 0, 2)), logit_pad, y, label_pad, "
            "blank_id=0)\n"
            "out = jnp.mean(per / tl)"
        ),
        inputs=(T("x", "6,2,5"), T("y", "2,3", "int64", 1, 5)),
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("Layouts differ: torch takes log-probabilities (T, N, C) and lengths; optax.ctc_loss takes "
               "batch-major (N, T, C) logits (it applies log_softmax itself, which leaves log-probabilities "
               "unchanged) and 0/1 paddings (1 past each length).",
               "reduction='mean' divides each sequence's loss by its target length, then averages over the batch; "
               "'sum' is jnp.sum(per), 'none' is per.",
               "An impossible alignment (input shorter than its target plus the blanks between repeated labels) "
               "costs inf in torch and about 1e5 in optax (its log_epsilon; measured 100000.5 for 3 labels over "
               "2 frames); for zero_infinity=True mask those sequences out with jnp.where."),
        reason="lengths become padding masks and the time axis moves: no one-call rewrite",
    ),
    Record(
        torch="torch.nn.LinearCrossEntropyLoss",
        jax="optax.softmax_cross_entropy_with_integer_labels",
        status="manual",
        torch_example=(
            "m = nn.LinearCrossEntropyLoss(4, 5)\n"
            "out = m(x, y)"
        ),
        jax_example="out = jnp.mean(optax.softmax_cross_entropy_with_integer_labels(x @ sd['linear.weight'].T, y))",
        inputs=(T("x", "N,4"), T("y", "N", "int64", 0, 5)),
        sizes=(1, 5),
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("The module holds a linear layer (weight [num_classes, in_features], no bias by default) and "
               "computes cross entropy on its logits; torch's chunked computation (options=) only saves memory: "
               "in JAX the logits are materialised, or computed in chunks under jax.checkpoint.",
               "ignore_index, weight and label_smoothing are those of nn.CrossEntropyLoss."),
        reason="a loss with a parameter: keep the weight in an nnx.Linear(use_bias=False) and call the loss on "
               "its output",
    ),
    Record(
        torch="torch.nn.AdaptiveLogSoftmaxWithLoss",
        jax="jax.nn.log_softmax (head and tail clusters)",
        status="manual",
        torch_example=(
            "m = nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4, 8], div_value=2.0)\n"
            "r = m(x, y)\n"
            "out = (r.output, r.loss)"
        ),
        jax_example=(
            "head = jax.nn.log_softmax(x @ sd['head.weight'].T, -1)\n"
            "parts = [head[:, :4]]\n"
            "for i in range(2):\n"
            "    tail = x @ sd[f'tail.{i}.0.weight'].T @ sd[f'tail.{i}.1.weight'].T\n"
            "    parts.append(head[:, 4 + i:5 + i] + jax.nn.log_softmax(tail, -1))\n"
            "o = jnp.take_along_axis(jnp.concatenate(parts, -1), y[:, None], 1)[:, 0]\n"
            "out = (o, -jnp.mean(o))"
        ),
        inputs=(T("x", "N,8"), T("y", "N", "int64", 0, 10)),
        sizes=(1, 5),
        checks=("forward", "jit", "grad"),
        tol=_LOSS,
        grad_tol=_LOSS,
        notes=("The head scores the shortlist (classes below cutoffs[0]) and one entry per cluster; a class in "
               "cluster i has log-probability head[shortlist + i] + log_softmax(tail_i(x))[class - cutoff]. "
               "tail_i is two bias-free linear maps, in_features -> in_features // div_value ** (i + 1) -> cluster "
               "size. The JAX version builds every log-probability (torch's log_prob) and gathers the targets; "
               "torch evaluates each tail only on the samples of its cluster, which saves work on large "
               "vocabularies.",),
        reason="no flax or optax counterpart: the clusters are written out, with the weights kept as parameters",
    ),
]
