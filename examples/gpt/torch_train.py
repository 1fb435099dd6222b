"""A small GPT on tiny Shakespeare in PyTorch: the reference for the two JAX versions next to it.

nanoGPT's architecture at toy size (pre-LayerNorm blocks, causal self-attention, exact GELU, no
dropout, no weight tying), with nanoGPT's parameter names so weights map across mechanically.
Run: python -m examples.gpt.torch_train [--steps N]
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from examples._common import Clock, finish, parser
from examples.gpt.data import Config, batches, decode, load


class CausalSelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.n_head = cfg.n_head
        self.c_attn = nn.Linear(cfg.n_embd, 3 * cfg.n_embd)  # q, k, v for all heads at once
        self.c_proj = nn.Linear(cfg.n_embd, cfg.n_embd)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C))


class MLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.c_fc = nn.Linear(cfg.n_embd, 4 * cfg.n_embd)
        self.c_proj = nn.Linear(4 * cfg.n_embd, cfg.n_embd)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.ln_1 = nn.LayerNorm(cfg.n_embd)
        self.attn = CausalSelfAttention(cfg)
        self.ln_2 = nn.LayerNorm(cfg.n_embd)
        self.mlp = MLP(cfg)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT(nn.Module):
    def __init__(self, cfg, vocab_size):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, cfg.n_embd)
        self.wpe = nn.Embedding(cfg.block_size, cfg.n_embd)
        self.h = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layer)])
        self.ln_f = nn.LayerNorm(cfg.n_embd)
        self.lm_head = nn.Linear(cfg.n_embd, vocab_size, bias=False)
        for name, p in self.named_parameters():  # nanoGPT's initialisation
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * cfg.n_layer) if name.endswith("c_proj.weight") else 0.02
                nn.init.normal_(p, mean=0.0, std=std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx, targets=None):
        T = idx.shape[1]
        x = self.wte(idx) + self.wpe(torch.arange(T))
        for block in self.h:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        if targets is None:
            return logits, None
        return logits, F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, block_size, generator):
        for _ in range(max_new_tokens):
            logits, _ = self(idx[:, -block_size:])
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
    model = GPT(cfg, len(itos))
    clock = Clock()
    losses = train(model, make_optimizer(model, cfg), batches(data["train"], cfg.block_size, cfg.batch_size, args.seed),
                   args.steps, clock)
    clock.stop(None)
    val_loss = evaluate(model, batches(data["val"], cfg.block_size, cfg.batch_size, args.seed + 1), cfg.eval_batches)
    g = torch.Generator().manual_seed(args.seed)
    print(decode(model.generate(torch.zeros((1, 1), dtype=torch.long), 200, cfg.block_size, g)[0].tolist(), itos))
    return finish(args, "torch", clock, losses, eval_loss=val_loss)


if __name__ == "__main__":
    main()
