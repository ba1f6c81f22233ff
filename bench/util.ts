import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function machine(): string {
  return `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
}

/** Wall time, CPU time (user + system) and peak RSS of a child process, through GNU time, and what it printed. */
export function timeCommand(cmd: string, args: string[]): { wall: number; cpu: number; maxRssMb: number; status: number | null; stdout: string } {
  const r = spawnSync('/usr/bin/time', ['-f', 'EMOVOX_TIME %e %U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stderr.split('\n').find((l) => l.startsWith('EMOVOX_TIME'));
  if (!line) throw new Error(`no timing from /usr/bin/time: ${r.stderr.slice(-500)}`);
  const [, e, u, s, m] = line.split(' ');
  return { wall: Number(e), cpu: Number(u) + Number(s), maxRssMb: Number(m) / 1024, status: r.status, stdout: r.stdout };
}
