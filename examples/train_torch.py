"""A small character-level transformer on tiny Shakespeare, in plain PyTorch.

The script `jaxmigrate suggest` is demonstrated on (`make run`): an nn.Module model, batches drawn
from a tensor, AdamW, a training loop, evaluation under no_grad, device moves, a seed and a
checkpoint. Run it with `python examples/train_torch.py` (a minute or two on a CPU).
"""

import hashlib
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

CKPT = os.path.join(tempfile.gettempdir(), "ckpt_char.pt")
DATA = os.path.join(os.path.dirname(__file__), "..", "data", "shakespeare_char", "input.txt")
DATA_SHA256 = "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"  # as in data/README.md

# Small enough for a CPU: 2 layers, 4 heads, 64 wide, context 32.
block_size = 32
batch_size = 16
n_layer, n_head, n_embd = 2, 4, 64
max_iters, eval_interval, eval_iters = 200, 100, 10
learning_rate = 1e-3
device = "cuda" if torch.cuda.is_available() else "cpu"


def load_text(path: str) -> str:
    if not os.path.exists(path):
        sys.exit(f"error: tiny Shakespeare not found at {os.path.abspath(path)} (see data/README.md)")
    with open(path, "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != DATA_SHA256:
        sys.exit(f"error: {os.path.abspath(path)} does not match its sha256 in data/README.md")
    return data.decode("utf-8")


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd: int, n_head: int):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        mask = torch.tril(torch.ones(block_size, block_size))
        self.register_buffer("mask", mask.view(1, 1, block_size, block_size))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.size()  # batch, time, channels
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self, n_embd: int, n_head: int):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class CharModel(nn.Module):
    def __init__(self, vocab_size: int):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.blocks = nn.ModuleList([Block(n_embd, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        pos = torch.arange(0, T, dtype=torch.long, device=idx.device)
        x = self.wte(idx) + self.wpe(pos)
        for block in self.blocks:
            x = block(x)
        logits = self.lm_head(self.ln_f(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))
        return logits, loss


def get_batch(data: torch.Tensor):
    # Random windows of the token stream; targets are the inputs shifted by one.
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([data[i : i + block_size] for i in ix])
    y = torch.stack([data[i + 1 : i + 1 + block_size] for i in ix])
    return x.to(device), y.to(device)


@torch.no_grad()
def estimate_loss(model, splits):
    out = {}
    model.eval()
    for name, data in splits.items():
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            xb, yb = get_batch(data)
            _, loss = model(xb, yb)
            losses[k] = loss.item()
        out[name] = losses.mean().item()
    model.train()
    return out


def main():
    torch.manual_seed(1337)
    text = load_text(DATA)
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    splits = {"train": data[:n], "val": data[n:]}

    model = CharModel(len(chars)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.1)
    print(f"{sum(p.numel() for p in model.parameters()) / 1e6:.2f}M parameters on {device}")

    start = time.time()
    for it in range(max_iters + 1):
        if it % eval_interval == 0:
            losses = estimate_loss(model, splits)
            print(f"step {it}: train {losses['train']:.4f}, val {losses['val']:.4f}, {time.time() - start:.1f}s")
        xb, yb = get_batch(splits["train"])
        _, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    model.eval()
    with torch.no_grad():
        idx = torch.zeros((1, 1), dtype=torch.long, device=device)
        for _ in range(100):
            logits, _ = model(idx[:, -block_size:])
            probs = F.softmax(logits[:, -1, :], dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
    print("".join(chars[i] for i in idx[0].tolist()))
    print("sample mean token id:", np.mean(idx.cpu().numpy()))
    torch.save({"model": model.state_dict(), "chars": chars}, CKPT)
    print(f"saved {CKPT}")


if __name__ == "__main__":
    main()
