// The page's logic: upload or record a clip (bars), the timeline of a long one, and live
// mode (microphone → 16 kHz float32 PCM over the WebSocket → segments as they close).
const $ = (id) => document.getElementById(id);
const status = $('status');
/** Longer uploads get a timeline as well as the overall scores (s). */
const LONG_SEC = 12;
const COLOURS = { neutral: '#8d8d99', calm: '#4e9fd1', happy: '#f2b400', sad: '#3454a4', angry: '#d1342f', fearful: '#8e44ad', disgust: '#4f8a3a', surprised: '#ef7d22' };
const colour = (label) => COLOURS[label] || '#555';
const pct = (x) => `${(100 * x).toFixed(1)}%`;

function say(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', body });
  const json = path.includes('format=') && !path.includes('format=json') ? null : await res.json();
  if (!res.ok) throw new Error(json && json.error ? `${json.error.code}: ${json.error.message}` : `HTTP ${res.status}`);
  return json;
}

function showBars(result) {
  const [best] = result.predictions;
  $('top').textContent = `${best.label} (${pct(best.score)})${result.uncertain ? ', uncertain' : ''}`;
  const rows = result.predictions.map((p) => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = p.label;
    const score = document.createElement('td');
    score.textContent = pct(p.score);
    const barCell = document.createElement('td');
    barCell.setAttribute('aria-hidden', 'true');
    const bar = document.createElement('div');
    bar.className = 'bar';
    bar.style.width = pct(p.score);
    bar.style.background = colour(p.label);
    barCell.append(bar);
    tr.append(name, score, barCell);
    return tr;
  });
  $('bars').tBodies[0].replaceChildren(...rows);
  $('result').hidden = false;
}

/** The timeline so far: a coloured strip (for the eye) and a table (for everyone). */
const timeline = {
  segments: [],
  reset() {
    this.segments = [];
    $('strip').replaceChildren();
    $('segments').tBodies[0].replaceChildren();
    $('timeline').hidden = true;
  },
  add(s, totalSec) {
    this.segments.push(s);
    const tr = document.createElement('tr');
    const swatch = `<span class="swatch" style="background:${colour(s.label)}"></span>`;
    tr.innerHTML = `<td>${s.start.toFixed(1)} s</td><td>${s.end.toFixed(1)} s</td><td>${swatch}</td><td>${pct(s.score)}${s.uncertain ? ' (uncertain)' : ''}</td>`;
    tr.children[2].append(s.label);
    $('segments').tBodies[0].append(tr);
    this.draw(totalSec);
    $('timeline').hidden = false;
  },
  draw(totalSec) {
    const total = Math.max(totalSec || 0, ...this.segments.map((s) => s.end), 1);
    $('strip').replaceChildren(
      ...this.segments.map((s) => {
        const span = document.createElement('span');
        span.style.left = `${(100 * s.start) / total}%`;
        span.style.width = `${(100 * (s.end - s.start)) / total}%`;
        span.style.background = colour(s.label);
        if (s.uncertain) span.className = 'uncertain';
        span.title = `${s.label} ${s.start.toFixed(1)}–${s.end.toFixed(1)} s`;
        return span;
      }),
    );
  },
};

async function analyse(file) {
  const name = file.name || 'recording';
  timeline.reset();
  $('result').hidden = true;
  say(`Analysing ${name}…`);
  try {
    const form = new FormData();
    form.append('file', file, name);
    const result = await post('v1/classify', form);
    showBars(result);
    say(`${name}: ${result.predictions[0].label}, ${result.durationSec.toFixed(1)} s of audio.`);
    if (result.durationSec > LONG_SEC) {
      say(`${name}: ${result.predictions[0].label} overall; making the timeline…`);
      const again = new FormData();
      again.append('file', file, name);
      const t = await post('v1/timeline', again);
      for (const s of t.segments) timeline.add(s, t.summary.durationSec);
      say(`${name}: ${t.summary.segments} segments of speech in ${t.summary.durationSec.toFixed(1)} s.`);
    }
  } catch (e) {
    say(`Could not analyse ${name}: ${e.message}`, true);
  }
}

// Choose or drop a file.
$('file').addEventListener('change', (e) => {
  const [file] = e.target.files;
  if (file) analyse(file);
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const [file] = e.dataTransfer.files;
  if (file) analyse(file);
});

// Record a clip, then upload it.
let recorder = null;
$('record').addEventListener('click', async () => {
  const button = $('record');
  if (recorder) {
    recorder.stop();
    return;
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const chunks = [];
    recorder = new MediaRecorder(stream);
    recorder.ondataavailable = (e) => chunks.push(e.data);
    recorder.onstop = () => {
      stream.getTracks().forEach((t) => t.stop());
      recorder = null;
      button.setAttribute('aria-pressed', 'false');
      button.textContent = 'Record from the microphone';
      const blob = new Blob(chunks, { type: chunks[0] ? chunks[0].type : 'audio/webm' });
      analyse(new window.File([blob], 'recording.webm', { type: blob.type }));
    };
    recorder.start();
    button.setAttribute('aria-pressed', 'true');
    button.textContent = 'Stop recording and analyse';
    say('Recording… press the button again to stop.');
  } catch (e) {
    say(`The microphone is not available: ${e.message}`, true);
  }
});

// Live mode.
let live = null;
async function startLive() {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false } });
  const ctx = new AudioContext({ sampleRate: 16000 });
  await ctx.audioWorklet.addModule('pcm-worklet.js');
  const node = new window.AudioWorkletNode(ctx, 'pcm-capture');
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new window.WebSocket(`${protocol}//${window.location.host}/v1/live`);
  ws.binaryType = 'arraybuffer';
  let sentSec = 0;
  live = { stream, ctx, ws };
  timeline.reset();
  ws.onopen = () => {
    ws.send(JSON.stringify({ type: 'start', encoding: 'f32le', sampleRate: ctx.sampleRate }));
    node.port.onmessage = (e) => {
      if (ws.readyState !== 1) return;
      ws.send(e.data);
      sentSec += e.data.byteLength / 4 / ctx.sampleRate;
    };
    ctx.createMediaStreamSource(stream).connect(node);
    node.connect(ctx.destination); // the processor outputs silence; the connection keeps it running
    say('Live: listening. Segments appear when each stretch of speech ends.');
  };
  ws.onmessage = (e) => {
    const msg = JSON.parse(e.data);
    if (msg.type === 'segment') timeline.add(msg, sentSec);
    else if (msg.type === 'end') say(`Live ended: ${msg.summary.segments} segments in ${msg.summary.durationSec.toFixed(1)} s.`);
    else if (msg.type === 'error') say(`Live: ${msg.error.code}: ${msg.error.message}`, true);
  };
  ws.onclose = () => stopLive(false);
}

function stopLive(sendStop = true) {
  if (!live) return;
  const { stream, ctx, ws } = live;
  live = null;
  stream.getTracks().forEach((t) => t.stop());
  ctx.close();
  if (sendStop && ws.readyState === 1) ws.send(JSON.stringify({ type: 'stop' }));
  const button = $('live');
  button.setAttribute('aria-pressed', 'false');
  button.textContent = 'Start live';
}

$('live').addEventListener('click', async () => {
  const button = $('live');
  if (live) {
    say('Live: finishing the last segment…');
    stopLive();
    return;
  }
  try {
    button.setAttribute('aria-pressed', 'true');
    button.textContent = 'Stop live';
    await startLive();
  } catch (e) {
    stopLive(false);
    say(`Live mode could not start: ${e.message}`, true);
  }
});
