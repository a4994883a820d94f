#!/bin/sh
# A stand-in for any training command, in plain shell: it takes its hyperparameters as arguments, "trains",
# and prints the validation loss last. `tellus agent` runs it once per trial:
#
#   tellus agent demo-sh --definition examples/agent/study.json -- sh examples/agent/train.sh --lr {lr} --layers {layers}
#
# Nothing in here knows about Tellus; the same params are also in $TELLUS_PARAM_LR, $TELLUS_PARAM_LAYERS and the
# JSON file $TELLUS_PARAMS_FILE, for scripts that prefer those.
set -eu
while [ $# -gt 0 ]; do
  case "$1" in
    --lr) lr=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
for epoch in 1 2 3; do
  echo "epoch $epoch/3"
done
# The "validation loss": best near lr = 0.001 and 4 layers.
awk -v lr="$lr" -v layers="$layers" 'BEGIN { l = log(lr) / log(10) + 3; printf "val_loss %.6f\n", l * l + 0.1 * (layers - 4) ^ 2 }'
