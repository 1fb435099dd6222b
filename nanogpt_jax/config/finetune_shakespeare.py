# Finetune GPT-2 XL on Shakespeare (GPT-2 tokens; nanoGPT's preset). Needs data/shakespeare from
# nanoGPT's data/shakespeare/prepare.py (tiktoken) and local gpt2-xl weights.
import time

out_dir = "out-shakespeare"
eval_interval = 5  # few iterations: evaluate at each few
eval_iters = 40
wandb_log = False
wandb_project = "shakespeare"
wandb_run_name = "ft-" + str(time.time())

dataset = "shakespeare"
init_from = "gpt2-xl"  # this is the largest GPT-2 model

always_save_checkpoint = False  # only save checkpoints if the validation loss improves

# 1 batch * 32 grad accum * 1024 tokens = 32,768 tokens per iteration; shakespeare has 301,966 tokens,
# so one epoch is about 9.2 iterations
batch_size = 1
gradient_accumulation_steps = 32
max_iters = 20

learning_rate = 3e-5  # finetune at a constant, small learning rate
decay_lr = False
