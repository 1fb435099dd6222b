"""makemore MLP in PyTorch: predict the next character of a name from the three before it.

Bengio et al. 2003 as in Karpathy's makemore part 2: a character embedding table, one tanh hidden
layer and a softmax over the 27 characters, trained with plain SGD on names.txt.
Run: python -m examples.makemore_mlp.torch_train [--steps N]
"""

import torch
import torch.nn.functional as F

from examples._common import Clock, finish, parser
from examples.makemore_mlp.data import Config, batches, learning_rate, load, plot_embedding


def init_params(vocab_size, cfg, seed):
    g = torch.Generator().manual_seed(seed)
    fan_in = cfg.n_embd * cfg.block_size
    params = {
        "C": torch.randn((vocab_size, cfg.n_embd), generator=g),
        "W1": torch.randn((fan_in, cfg.n_hidden), generator=g) * (5 / 3) / fan_in**0.5,  # Kaiming gain for tanh
        "b1": torch.randn(cfg.n_hidden, generator=g) * 0.01,
        "W2": torch.randn((cfg.n_hidden, vocab_size), generator=g) * 0.01,  # small logits: a calm first loss
        "b2": torch.zeros(vocab_size),
    }
    for p in params.values():
        p.requires_grad_()
    return params


def forward(params, X):
    emb = params["C"][X]  # (B, block_size, n_embd)
    h = torch.tanh(emb.view(emb.shape[0], -1) @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


def train(params, X, Y, indices, steps, clock=None):
    losses = torch.empty(steps)  # one buffer: a list of 0-d tensors costs ~15 KB of RSS each
    for i in range(steps):
        ix = torch.from_numpy(next(indices))
        loss = F.cross_entropy(forward(params, X[ix]), Y[ix])
        for p in params.values():
            p.grad = None
        loss.backward()
        lr = learning_rate(i, steps)
        with torch.no_grad():
            for p in params.values():
                p -= lr * p.grad
        losses[i] = loss.detach()
        if clock:
            clock.step(i, loss)
    return losses.numpy()


@torch.no_grad()
def evaluate(params, X, Y):
    return F.cross_entropy(forward(params, X), Y).item()


@torch.no_grad()
def sample(params, itos, block_size, n, seed):
    g = torch.Generator().manual_seed(seed)
    names = []
    for _ in range(n):
        context, out = [0] * block_size, []
        while True:
            probs = F.softmax(forward(params, torch.tensor([context])), dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            if ix == 0:
                break
            context = context[1:] + [ix]
            out.append(itos[ix])
        names.append("".join(out))
    return names


def main(argv=None):
    cfg = Config()
    p = parser(__doc__, cfg.steps)
    p.add_argument("--plot", default="makemore_embedding_torch.png", help="PNG of the 2-D embeddings ('' to skip)")
    args = p.parse_args(argv)
    torch.manual_seed(args.seed)
    itos, splits = load()
    X, Y = map(torch.from_numpy, splits["train"])
    params = init_params(len(itos), cfg, args.seed)
    clock = Clock()
    losses = train(params, X, Y, batches(len(X), cfg.batch_size, args.seed), args.steps, clock)
    clock.stop(None)
    dev_loss = evaluate(params, *map(torch.from_numpy, splits["dev"]))
    test_loss = evaluate(params, *map(torch.from_numpy, splits["test"]))
    print("samples:", " ".join(sample(params, itos, cfg.block_size, 10, args.seed)))
    if args.plot:
        plot_embedding(params["C"].detach().numpy(), itos, args.plot, "makemore MLP embeddings (PyTorch)")
    return finish(args, "torch", clock, losses, eval_loss=dev_loss, test_loss=test_loss)


if __name__ == "__main__":
    main()
