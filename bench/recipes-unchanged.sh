#!/usr/bin/env bash
# Recipes before and after a change (issue 20, item 1: the device plumbing): builds REF (default main) from a copy of
# its tree and this working tree, runs 3 steps of each recipe below with both, and compares metrics.jsonl (timing keys
# excluded), the sampled groups and the final weights byte for byte. Usage: bench/recipes-unchanged.sh [REF [device]];
# with a device (cuda) the second run sets model.device, for comparing a GPU run against the CPU one (expect differences).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-main}; device=${2:-cpu}
work=$(mktemp -d /tmp/ispo-unchanged-XXXX)
mkdir -p "$work/base" && git archive "$ref" | tar -x -C "$work/base"
nice -n 19 dotnet build "$work/base/src/Ispo.Cli" -c Release -v q -nologo >/dev/null
nice -n 19 dotnet build src/Ispo.Cli -c Release -v q -nologo >/dev/null
common=(--set run.steps=3 --set data.prompts_per_step=2 --set rollout.group_size=4 --set rollout.max_new_tokens=24 --set run.tensorboard=false)
runs=(
  "ispo|ispo.yaml"
  "ispo-union|ispo.yaml|algorithm.shapers=[{name: ispo, critical_set: union}]"
  "ispo-union-off|ispo.yaml|algorithm.shapers=[{name: ispo, critical_set: union}]|model.cpu_kernels=off"
  "grpo-lora|grpo.yaml|model.lora.rank=4|model.lora.dropout=0.1|model.gradient_checkpointing=true|algorithm.shapers=[{name: overlong_penalty, cache_length: 8}]"
  "dapo|dapo.yaml|rollout.max_new_tokens=40"
)
for side in base new; do
  bin=$([ $side = base ] && echo "$work/base/src/Ispo.Cli/bin/Release/net10.0" || echo "$PWD/src/Ispo.Cli/bin/Release/net10.0")
  for spec in "${runs[@]}"; do
    IFS='|' read -r -a parts <<< "$spec"
    sets=(); for s in "${parts[@]:2}"; do sets+=(--set "$s"); done
    [ $side = new ] && [ "$device" != cpu ] && sets+=(--set "model.device=$device")
    nice -n 19 "$bin/ispo" train --config "configs/${parts[1]}" "${common[@]}" --set "run.out_dir=$work/$side" --set "run.name=${parts[0]}" \
      "${sets[@]}" > "$work/$side-${parts[0]}.log" 2>&1 || { echo "$side ${parts[0]} failed: $work/$side-${parts[0]}.log"; exit 1; }
  done
done
status=0
for spec in "${runs[@]}"; do
  name=${spec%%|*}
  python3 - "$work/base/$name/metrics.jsonl" "$work/new/$name/metrics.jsonl" "$name" <<'PY' || status=1
import json, sys
def rows(p): return [{k: v for k, v in json.loads(l).items() if "time" not in k and k != "tokens_per_second"} for l in open(p)]
a, b = rows(sys.argv[1]), rows(sys.argv[2])
print(f"{sys.argv[3]}: {len(a)} rows x {len(a[0])} keys, metrics identical: {a == b}")
for x, y in zip(a, b):
    for k in sorted(set(x) | set(y)):
        if x.get(k) != y.get(k): print(f"  step {x.get('step')} {k}: {x.get(k)} -> {y.get(k)}")
sys.exit(0 if a == b else 1)
PY
  cmp -s "$work/base/$name/groups.jsonl" "$work/new/$name/groups.jsonl" || { echo "  groups.jsonl differ"; status=1; }
  for f in $(cd "$work/new/$name/checkpoints" && find . -name '*.safetensors'); do
    cmp -s "$work/base/$name/checkpoints/$f" "$work/new/$name/checkpoints/$f" || { echo "  $f differs"; status=1; }
  done
done
echo "runs in $work"
exit $status
