# Reproduce GPT-2 (124M) on OpenWebText: nanoGPT's preset, sized for 8 A100 40GB GPUs.
# Data: nanoGPT's data/openwebtext/prepare.py output in data/openwebtext (not shipped here).

wandb_log = True
wandb_project = "owt"
wandb_run_name = "gpt2-124M"

# 12 batch * 1024 block * 5 grad accum * 8 GPUs = 491,520 tokens per iteration, ~0.5M as in GPT-2
batch_size = 12
block_size = 1024
gradient_accumulation_steps = 5 * 8  # here all devices share one step, so this is the total

max_iters = 600000  # 300B tokens in total
lr_decay_iters = 600000

eval_interval = 1000  # evaluation is expensive at this size
eval_iters = 200
log_interval = 10

weight_decay = 1e-1  # GPT-2's weight decay
