# Evaluate OpenAI's gpt2-xl weights on OpenWebText (nanoGPT's preset): eval_only, no training.
# Weights come from a local Hugging Face directory (see init_from=gpt2* in nanogpt_jax/README.md).
batch_size = 8
eval_iters = 500  # use more iterations to get a good estimate
eval_only = True  # evaluate once and exit
wandb_log = False
init_from = "gpt2-xl"
