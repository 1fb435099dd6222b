"""Digit classifiers in PyTorch: an MLP and a small CNN, trained with Adam, reporting test accuracy.

Run: python -m examples.digits.torch_train [--model mlp|cnn] [--steps N] [--mnist DIR]
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from examples._common import Clock, finish, parser
from examples.digits.data import Config, batches, load


class MLP(nn.Module):
    def __init__(self, height, width, hidden, n_classes=10):
        super().__init__()
        self.fc1 = nn.Linear(height * width, hidden)
        self.fc2 = nn.Linear(hidden, n_classes)

    def forward(self, x):  # x: (B, H, W)
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


class CNN(nn.Module):
    def __init__(self, height, width, channels, n_classes=10):
        super().__init__()
        c1, c2 = channels
        self.conv1 = nn.Conv2d(1, c1, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, padding=1)
        self.fc = nn.Linear(c2 * (height // 4) * (width // 4), n_classes)

    def forward(self, x):  # x: (B, H, W)
        x = x[:, None]  # (B, 1, H, W): channels first
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.flatten(1))  # flattens (C, H, W)


def make_model(kind, height, width, cfg):
    return MLP(height, width, cfg.hidden) if kind == "mlp" else CNN(height, width, cfg.channels)


def train(model, optimizer, X, Y, indices, steps, clock=None):
    model.train()
    losses = torch.empty(steps)  # one buffer: a list of 0-d tensors costs ~15 KB of RSS each
    for i in range(steps):
        ix = torch.from_numpy(next(indices))
        loss = F.cross_entropy(model(X[ix]), Y[ix])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses[i] = loss.detach()
        if clock:
            clock.step(i, loss)
    return losses.numpy()


@torch.no_grad()
def evaluate(model, X, Y):
    model.eval()
    logits = model(X)
    return F.cross_entropy(logits, Y).item(), (logits.argmax(1) == Y).float().mean().item()


def main(argv=None):
    cfg = Config()
    p = parser(__doc__, cfg.steps)
    p.add_argument("--model", choices=["mlp", "cnn"], default="mlp")
    p.add_argument("--mnist", metavar="DIR", help="read MNIST IDX files from DIR instead of scikit-learn's digits")
    args = p.parse_args(argv)
    torch.manual_seed(args.seed)
    data = load(args.mnist)
    X, Y = map(torch.from_numpy, data["train"])
    model = make_model(args.model, X.shape[1], X.shape[2], cfg)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    clock = Clock()
    losses = train(model, optimizer, X, Y, batches(len(X), cfg.batch_size, args.seed), args.steps, clock)
    clock.stop(None)
    test_loss, accuracy = evaluate(model, *map(torch.from_numpy, data["test"]))
    print(f"{args.model}: test accuracy {accuracy:.4f}")
    return finish(args, "torch", clock, losses, eval_loss=test_loss, accuracy=accuracy)


if __name__ == "__main__":
    main()
