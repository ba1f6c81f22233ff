/** Real HTTP against a server started in this process on 127.0.0.1 (a free port); nothing is mocked. */
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../src/server/app.js';
import type { ServerOptions } from '../../src/server/options.js';

export interface Running {
  app: FastifyInstance;
  url: string;
  port: number;
}

export async function startServer(options: ServerOptions = {}): Promise<Running> {
  const app = await createServer(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url, port: new URL(url).port as unknown as number };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => { error?: { code: string; message: string } } & Record<string, unknown>;
}

/** One POST of a body (or a form), read whole. */
export async function post(base: string, path: string, body: Uint8Array | FormData, type?: string): Promise<Answer> {
  const res = await fetch(base + path, { method: 'POST', body: body as BodyInit, headers: type ? { 'content-type': type } : undefined });
  const text = await res.text();
  return { status: res.status, headers: Object.fromEntries(res.headers), text, json: () => JSON.parse(text) };
}

export function form(bytes: Uint8Array, name: string, type = 'audio/flac'): FormData {
  const f = new FormData();
  f.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
  return f;
}

/** A raw HTTP request whose body is written by `write` at the caller's pace (slow or cut-short clients). */
export function rawRequest(port: number, path: string, headers: Record<string, string | number>, write: (req: import('node:http').ClientRequest) => Promise<void>): Promise<Answer & { error?: Error }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', (error) => resolve({ status: 0, headers: {}, text: '', json: () => ({}), error }));
    write(req).catch((error: Error) => resolve({ status: 0, headers: {}, text: '', json: () => ({}), error }));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
