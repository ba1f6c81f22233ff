#!/usr/bin/env bash
# Channel augmentation for the leave-one-corpus-out protocol (issue 14): a telephone-band copy
# of every file of a corpus folder (8 kHz, band-passed 300–3400 Hz by sox, 3 dB down so that the
# filter does not clip; speaker normalisation removes the level anyway), same relative paths
# and names, so that `emovox evaluate --data ORIGINAL --data COPIES` reads both as one corpus:
# the same speakers (speaker normalisation pools each speaker's original and copy), trained on
# together when that corpus is a training corpus.
#   scripts/experiments/telephone-copies.sh ../shared/data/ravdess-speech-16k /tmp/ravdess-telephone
set -euo pipefail
src=$1 dst=$2
cd "$src"
find . -name '*.flac' -o -name '*.wav' | sed 's|^\./||' | while read -r f; do
  mkdir -p "$dst/$(dirname "$f")"
  echo "$f"
done | xargs -P 2 -I{} sh -c 'f="{}"; sox -q "$f" -r 8000 "'"$dst"'/${f%.*}.wav" gain -3 sinc 300-3400'
