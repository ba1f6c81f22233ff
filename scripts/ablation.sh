#!/bin/sh
# Reruns every row of docs/ACCURACY.md (and the README's accuracy table): each
# `emovox evaluate` saves its full result to docs/results/NAME.json, and
#   node --import tsx scripts/accuracy-table.ts docs/results/*.json
# prints the rows. Rows share the feature cache, so only the first run of each
# feature setting extracts. Run a subset by naming rows: scripts/ablation.sh vad-512
# The rows in docs/results/11fe6d5/ were made by this script at commit 11fe6d5, when the
# recipe trimmed silence with 512-sample VAD chunks; rerun here, they measure the same
# lever on the current recipe.
set -e
cd "$(dirname "$0")/.."
DATA=../shared/data/ravdess-speech-16k
row() {
  name=$1; shift
  if [ -n "$ONLY" ] && ! echo " $ONLY " | grep -q " $name "; then return; fi
  echo "== $name" >&2
  node bin/emovox.js evaluate --data "$DATA" "$@" --save "docs/results/$name.json" --json > /dev/null
}
ONLY="$*"
row default
row default-speaker-normalized --speaker-normalize
row handcrafted-only --features handcrafted
row embedding-only --features embedding
row vad-512 --vad --vad-chunk 512
row vad-1536 --vad --vad-chunk 1536
row single-mlp64 --head '{"ensemble":1}'
row single-mlp256 --head '{"hidden":[256],"ensemble":1}'
row mfcc-mean-grouped --features mfcc-mean --no-vad --head '{"hidden":[64],"ensemble":1}'
row mfcc-mean-random --features mfcc-mean --no-vad --head '{"hidden":[64],"ensemble":1}' --protocol random
row ensemble8 --head '{"ensemble":8}'
row mixup02 --head '{"mixup":0.2}'
row speaker-normalized-l2-1e-4 --speaker-normalize --head '{"weightDecay":0.0001}'
row seed2-speaker-normalized-l2-1e-4 --speaker-normalize --head '{"weightDecay":0.0001}' --seed 2
row seed2-speaker-normalized --seed 2 --speaker-normalize --head '{"hidden":[64],"ensemble":4,"weightDecay":0.001}'
row l2-1e-3 --head '{"hidden":[64],"ensemble":4,"weightDecay":0.001}'
row speaker-normalized-l2-3e-3 --speaker-normalize --head '{"hidden":[64],"ensemble":4,"weightDecay":0.003}'
row linear --head '{"hidden":[],"ensemble":4,"weightDecay":0.0174,"inputDropout":0,"labelSmoothing":0}'
row speaker-normalized-linear --speaker-normalize --head '{"hidden":[],"ensemble":4,"weightDecay":0.0174,"inputDropout":0,"labelSmoothing":0}'
