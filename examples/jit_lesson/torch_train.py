"""The jit lesson's reference: the digits MLP trained step by step in PyTorch (eager, as PyTorch runs).

Run: python -m examples.jit_lesson.torch_train [--steps N]
"""

import torch

from examples._common import Clock, finish, parser
from examples.digits.torch_train import MLP, evaluate, train
from examples.jit_lesson.data import Config, batches, load


def main(argv=None):
    cfg = Config()
    args = parser(__doc__, cfg.steps).parse_args(argv)
    torch.manual_seed(args.seed)
    data = load()
    X, Y = map(torch.from_numpy, data["train"])
    model = MLP(X.shape[1], X.shape[2], cfg.hidden)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    clock = Clock()
    losses = train(model, optimizer, X, Y, batches(len(X), cfg.batch_size, args.seed), args.steps, clock)
    clock.stop(None)
    test_loss, accuracy = evaluate(model, *map(torch.from_numpy, data["test"]))
    return finish(args, "torch", clock, losses, eval_loss=test_loss, accuracy=accuracy)


if __name__ == "__main__":
    main()
