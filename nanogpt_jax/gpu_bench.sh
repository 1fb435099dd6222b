#!/usr/bin/env bash
# The port against the PyTorch reference (torch.compile, bfloat16) on one GPU, in a few minutes:
#   1. nanoGPT's shakespeare_char baby GPT (6x6x384, context 256) trained 5000 iterations to its best val
#      loss (target <= 1.47; nanoGPT reports 1.4697), with ms/iter and MFU for each framework;
#   2. the GPT-2 124M shape on synthetic tokens for 300 steps: tokens/s and MFU for each framework.
# Then one Markdown table (paste it into nanogpt_jax/BENCHMARKS.md with the GPU's name).
#
#   bash nanogpt_jax/gpu_bench.sh              # on a GPU machine, from the repository root
#   bash nanogpt_jax/gpu_bench.sh --tiny       # a few steps of tiny models on the CPU: tests the script
#
# Environment: PYTHON (default python), OUT (default gpu-bench-out), DATA_DIR (the prepared
# shakespeare_char data; default data/shakespeare_char, prepared here if missing).
set -euo pipefail
PYTHON=${PYTHON:-python}
OUT=${OUT:-gpu-bench-out}
DATA_DIR=${DATA_DIR:-data/shakespeare_char}
mkdir -p "$OUT"
[ -f "$DATA_DIR/train.bin" ] || "$PYTHON" -m nanogpt_jax.prepare_shakespeare_char --out_dir "$DATA_DIR"
"$PYTHON" -c "import jax; print('JAX devices:', jax.devices())" | tee "$OUT/devices.txt"
for workload in shakespeare gpt2; do
  for framework in jax torch; do
    echo "== $framework $workload"
    data=()
    [ "$workload" = shakespeare ] && data=("--data_dir=$DATA_DIR")
    # one process per run: JAX and PyTorch never share the GPU's memory
    XLA_PYTHON_CLIENT_PREALLOCATE=false "$PYTHON" -m nanogpt_jax.gpu_bench "$framework" "$workload" \
      "--out_dir=$OUT/$framework-$workload" "${data[@]}" "$@" 2>&1 | tee "$OUT/$framework-$workload.log"
  done
done
"$PYTHON" -m nanogpt_jax.gpu_bench summary "$OUT"/*.log | tee "$OUT/summary.md"
