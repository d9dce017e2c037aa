#!/usr/bin/env bash
# `ispo signals` on 64 groups × 8 rollouts of 200–800 tokens with one 100k-token rollout among them (issue 18, item 12):
# wall time and peak resident memory. Before the fix the whole batch was padded to the long rollout (B × 100k cells per
# tensor); now each chunk of whole groups is padded to its own longest rollout.
# Usage: bench/signals-long-rollout.sh [long_tokens=100000] [other ispo.dll to compare, e.g. a build of main]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Ispo.Bench -c Release -v q -nologo >/dev/null
dotnet build src/Ispo.Cli -c Release -v q -nologo >/dev/null
input=$(mktemp --suffix=.json)
trap 'rm -f "$input"' EXIT
nice -n 19 dotnet bench/Ispo.Bench/bin/Release/net10.0/Ispo.Bench.dll signals-input "$input" "${1:-100000}"
echo "input: $(du -h "$input" | cut -f1)"
for dll in src/Ispo.Cli/bin/Release/net10.0/ispo.dll ${2:+"$2"}; do
  /usr/bin/time -f "$dll: %e s wall, %M KiB peak resident" nice -n 19 dotnet "$dll" signals --input "$input" >/dev/null
done
