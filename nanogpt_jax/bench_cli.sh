#!/usr/bin/env bash
# The command-line comparison of BENCHMARKS.md: the port's trainer against the PyTorch reference model in
# nanoGPT's loop, 300 iterations of the CPU recipe each, same flags, each framework's default threads.
# Usage: bash nanogpt_jax/bench_cli.sh [ROUNDS]   (from the repository root; ROUNDS defaults to 4)
# Each round runs both (which one goes first alternates) and prints the median of the "time ... ms" log
# lines from iteration 50 on, and the 1-minute load average before and after.
set -euo pipefail
PY=${PYTHON:-python}
OUT=$(mktemp -d)
median() {
  grep -E "^iter [0-9]+:" "$1" | awk '{split($2, a, ":"); if (a[1] + 0 >= 50) {t = $6; sub("ms,?", "", t); print t}}' \
    | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
port() {
  "$PY" -m nanogpt_jax.train config/train_shakespeare_char.py config/train_shakespeare_char_cpu.py \
    --max_iters=300 --eval_interval=1000 --log_interval=10 --out_dir="$OUT/port" > "$OUT/port.log" 2>&1
}
reference() {
  "$PY" -m nanogpt_jax.gpu_bench torch shakespeare --device=cpu --dtype=float32 --compile=False \
    --data_dir=data/shakespeare_char --eval_iters=20 --log_interval=10 --block_size=64 --batch_size=12 \
    --n_layer=4 --n_head=4 --n_embd=128 --max_iters=300 --lr_decay_iters=2000 --dropout=0.0 \
    --eval_interval=1000 --out_dir="$OUT/torch" > "$OUT/torch.log" 2>&1
}
"$PY" -m nanogpt_jax.prepare_shakespeare_char > /dev/null
for round in $(seq 1 "${1:-4}"); do
  before=$(cut -d' ' -f1 /proc/loadavg)
  if (( round % 2 )); then port; reference; else reference; port; fi
  p=$(median "$OUT/port.log"); t=$(median "$OUT/torch.log")
  echo "round $round (load $before -> $(cut -d' ' -f1 /proc/loadavg)): port $p ms/iter, PyTorch $t ms/iter," \
       "ratio $(awk -v p="$p" -v t="$t" 'BEGIN {printf "%.2f", t / p}')x"
done
rm -rf "$OUT"
