"""Bigram language model on tiny Shakespeare in PyTorch: each character predicts the next one.

The whole model is one table: row i holds the logits of the character that follows character i.
Run: python -m examples.bigram.torch_train [--steps N]
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from examples._common import Clock, finish, parser
from examples.bigram.data import Config, batches, decode, load


class BigramLanguageModel(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

    def forward(self, idx, targets=None):
        logits = self.token_embedding_table(idx)  # (B, T, vocab)
        if targets is None:
            return logits, None
        B, T, C = logits.shape
        return logits, F.cross_entropy(logits.view(B * T, C), targets.view(B * T))

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, generator):
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -1:])
            idx_next = torch.multinomial(F.softmax(logits[:, -1], dim=-1), num_samples=1, generator=generator)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


def make_optimizer(model, cfg):
    return torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)


def train(model, optimizer, batch_iter, steps, clock=None):
    model.train()
    losses = torch.empty(steps)  # one buffer: a list of 0-d tensors costs ~15 KB of RSS each
    for i in range(steps):
        xb, yb = map(torch.from_numpy, next(batch_iter))
        _, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses[i] = loss.detach()
        if clock:
            clock.step(i, loss)
    return losses.numpy()


@torch.no_grad()
def evaluate(model, batch_iter, n):
    model.eval()
    return torch.stack([model(*map(torch.from_numpy, next(batch_iter)))[1] for _ in range(n)]).mean().item()


def main(argv=None):
    cfg = Config()
    args = parser(__doc__, cfg.steps).parse_args(argv)
    torch.manual_seed(args.seed)
    itos, data = load()
    model = BigramLanguageModel(len(itos))
    optimizer = make_optimizer(model, cfg)
    clock = Clock()
    train_batches = batches(data["train"], cfg.block_size, cfg.batch_size, args.seed)
    losses = train(model, optimizer, train_batches, args.steps, clock)
    clock.stop(None)
    val_loss = evaluate(model, batches(data["val"], cfg.block_size, cfg.batch_size, args.seed + 1), cfg.eval_batches)
    g = torch.Generator().manual_seed(args.seed)
    print(decode(model.generate(torch.zeros((1, 1), dtype=torch.long), 200, g)[0].tolist(), itos))
    return finish(args, "torch", clock, losses, eval_loss=val_loss)


if __name__ == "__main__":
    main()
