#!/usr/bin/env bash
# The memory plan against measured per-phase resident peaks of real CPU training steps (issue 20, item 3). glibc is
# told to return blocks of 64 KiB and more to the system on free (and ConfigureAllocator steps aside when
# MALLOC_MMAP_MAX_ is set), so the resident set follows live tensors instead of the heap's high-water mark.
# Usage: bench/plan-vs-measured.sh [recipe key=value … [full-length]]; with no arguments, the runs the report quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Ispo.Bench -c Release -v q -nologo >/dev/null
run() { MALLOC_MMAP_THRESHOLD_=65536 MALLOC_MMAP_MAX_=1000000 nice -n 19 dotnet bench/Ispo.Bench/bin/Release/net10.0/Ispo.Bench.dll plan "$@"; }
if [ $# -gt 0 ]; then run "$@"; exit; fi
run ispo model.preset=small rollout.max_new_tokens=256
run ispo model.preset=small rollout.max_new_tokens=256 full-length
run grpo model.preset=small rollout.max_new_tokens=256 optim.grad_accumulation=2
run ispo model.preset=demo rollout.max_new_tokens=256
