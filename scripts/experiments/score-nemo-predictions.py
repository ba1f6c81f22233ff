"""UAR over nEMO's six emotions of `emovox predict --json` output, as a user would score it.

  npx emovox predict ../shared/data/nemo-16k --json --speaker-normalize --speaker-regex '([A-Z]+[0-9])_' > nemo.jsonl
  python3 scripts/experiments/score-nemo-predictions.py nemo.jsonl

The true emotion is the second field of the file name (SPEAKER_emotion_N). Two scores: the
model's best answer among all its labels, as it prints it (an answer nEMO lacks, calm or
disgust, is an error), and its best answer among nEMO's six labels only.
"""
import collections
import json
import sys

NEMO = {'anger': 'angry', 'fear': 'fearful', 'happiness': 'happy', 'neutral': 'neutral', 'sadness': 'sad', 'surprised': 'surprised'}
SIX = set(NEMO.values())

rows = [json.loads(line) for line in open(sys.argv[1])]
scored = [r for r in rows if 'predictions' in r]
print(f'{len(scored)} clips scored, {len(rows) - len(scored)} errors')
for mode in ['all labels', "nEMO's six"]:
    hits = collections.defaultdict(lambda: [0, 0])
    answers = collections.Counter()
    for r in scored:
        truth = NEMO[r['file'].split('/')[-1].split('_')[1]]
        options = r['predictions'] if mode == 'all labels' else [p for p in r['predictions'] if p['label'] in SIX]
        answer = max(options, key=lambda p: p['score'])['label']
        answers[answer] += 1
        hits[truth][0] += answer == truth
        hits[truth][1] += 1
    uar = sum(h / n for h, n in hits.values()) / len(hits)
    accuracy = sum(h for h, _ in hits.values()) / sum(n for _, n in hits.values())
    print(f'{mode}: UAR {100 * uar:.1f}%, accuracy {100 * accuracy:.1f}%, answers {dict(answers)}')
