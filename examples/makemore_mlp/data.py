"""names.txt as (three characters of context, next character) pairs, the settings both programs share, and the plot.

Both makemore programs import this file, so they train on the same examples in the same order.
"""

from dataclasses import dataclass

import numpy as np

from examples._common import data_file


@dataclass(frozen=True)
class Config:
    block_size: int = 3  # characters of context that predict the next one
    n_embd: int = 2  # embedding width: 2 so the learned embeddings can be plotted as they are
    n_hidden: int = 200  # tanh units
    batch_size: int = 32
    lr: float = 0.1  # plain SGD, divided by 10 for the last quarter of the steps
    steps: int = 30_000


def load(seed=42, block_size=Config.block_size):
    """Words shuffled once with `seed`, split 80/10/10 into train/dev/test (X: contexts, Y: next characters)."""
    words = data_file("names", "names.txt").read_text().split()
    chars = sorted(set("".join(words)))
    itos = ["."] + chars  # "." ends a name, and pads the context at its start
    stoi = {c: i for i, c in enumerate(itos)}
    np.random.default_rng(seed).shuffle(words)
    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    splits = {name: _examples(part, stoi, block_size) for name, part in
              [("train", words[:n1]), ("dev", words[n1:n2]), ("test", words[n2:])]}
    return itos, splits


def _examples(words, stoi, block_size):
    xs, ys = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            xs.append(context)
            ys.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return np.array(xs, np.int64), np.array(ys, np.int64)


def batches(n, batch_size, seed):
    """Endless random minibatch indices into n examples: the same sequence for both frameworks."""
    rng = np.random.default_rng(seed)
    while True:
        yield rng.integers(0, n, batch_size)


def learning_rate(step, steps, lr=Config.lr):
    return lr if step < steps * 3 // 4 else lr / 10


def plot_embedding(C, itos, path, title):
    """Scatter the 2-D character embeddings, each point labelled with its character."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 6))
    ax.scatter(C[:, 0], C[:, 1], s=200, c="lightgray")
    for i, ch in enumerate(itos):
        ax.text(C[i, 0], C[i, 1], ch, ha="center", va="center")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    fig.savefig(path, dpi=100)
    plt.close(fig)
