# nanoGPT's README recipe for a CPU (its command-line overrides, as a file): a smaller, shorter run that
# reaches val loss ~1.88 in a few minutes. Use after train_shakespeare_char.py:
#   python -m nanogpt_jax.train config/train_shakespeare_char.py config/train_shakespeare_char_cpu.py

device = "cpu"  # run on the CPU even when a GPU is visible
dtype = "float32"  # bfloat16 is emulated (slow) on CPU
compile = False  # nothing to turn off in JAX: the step is always jitted
eval_iters = 20  # fewer evaluation batches: evaluation would otherwise dominate on a CPU
log_interval = 1
block_size = 64  # context of 64 characters
batch_size = 12
n_layer = 4  # a smaller model: 4 layers, 4 heads, 128 wide
n_head = 4
n_embd = 128
max_iters = 2000
lr_decay_iters = 2000  # decay over the whole (shorter) run
dropout = 0.0  # a tiny model trained briefly does not overfit
