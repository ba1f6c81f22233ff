import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EMOTIONS } from '../src/types.js';
import { EmovoxError } from '../src/errors.js';

test('the label set is the eight RAVDESS emotions in dataset order', () => {
  assert.deepEqual([...EMOTIONS], ['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
});

test('EmovoxError serialises to its stable code and message', () => {
  const e = new EmovoxError('E_DECODE', 'bad data');
  assert.deepEqual(JSON.parse(JSON.stringify(e)), { code: 'E_DECODE', message: 'bad data' });
});
