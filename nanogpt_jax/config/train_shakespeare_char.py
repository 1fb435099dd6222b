# A baby GPT on character-level Shakespeare: good for checking that everything works (nanoGPT's preset).
# Prepare the data first: python -m nanogpt_jax.prepare_shakespeare_char

out_dir = "out-shakespeare-char"
eval_interval = 250  # evaluate often: this small model overfits quickly
eval_iters = 200
log_interval = 10  # fewer log lines (and host syncs) than every iteration

always_save_checkpoint = False  # only save when val improves: we expect to overfit

wandb_log = False  # override on the command line if you like
wandb_project = "shakespeare-char"
wandb_run_name = "mini-gpt"

dataset = "shakespeare_char"
gradient_accumulation_steps = 1  # the whole batch fits at once
batch_size = 64
block_size = 256  # context of up to 256 previous characters

# baby GPT model :)
n_layer = 6
n_head = 6
n_embd = 384
dropout = 0.2  # small data: regularise

learning_rate = 1e-3  # with baby networks we can afford to go a bit higher
max_iters = 5000
lr_decay_iters = 5000  # usually equal to max_iters
min_lr = 1e-4  # learning_rate / 10
beta2 = 0.99  # a bit bigger because the number of tokens per iteration is small

warmup_iters = 100  # not super necessary potentially
