import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Reads the runnable commands of the documentation pages and what each page says they answer.
 *
 * A page's fenced ```sh blocks are scripts. In a block, a line is one of:
 * - a command (joined with the next while it ends in `\`); a trailing `# 204, …` states its status;
 * - what the previous command answers: a line starting with `{` or `[` (the body's shape: member
 *   names, `…` eliding members, items or a value), `HTTP/1.1 204 …` or `Name: value` (lines its
 *   output must hold, `…` matching anything), or a comment starting with a status and/or a body
 *   (`# 201 {…}`, `# 302 …`, `# {…}`). The status is the last request's (earlier ones, as in a
 *   loop, may answer it too); a command that shows none must get only 2xx and 3xx answers;
 * - any other comment, or a blank line.
 * A block right after `<!-- not run: why -->` is not run; a command naming a `<placeholder>` the
 * page explains is not run either. `<!-- docs-check env: NAME=value … -->` adds to the
 * environment of the service the page's commands run against (and of the commands).
 */

/** What the page shows a command answers. */
export interface Expectation {
  status?: number;
  /** The body's shape, parsed from the page. */
  shape?: Shape;
  /** The page text of the shape, for messages. */
  shapeText?: string;
  /** Lines the command's output must contain (`HTTP/1.1 …`, `Name: value`). */
  outputLines: string[];
}

/** One command of a block and what follows it on the page. */
export interface Step {
  line: number;
  command: string;
  expect: Expectation;
}

/** A fenced sh block. */
export interface Block {
  file: string;
  line: number;
  /** Why the block is not run, from its `<!-- not run: … -->` marker. */
  notRun?: string;
  steps: Step[];
  /** Commands left out because they need a placeholder the page explains. */
  placeholders: Step[];
}

/** A documentation page and its sh blocks. */
export interface Page {
  file: string;
  blocks: Block[];
  env: Record<string, string>;
}

const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->$/;
const ENV_MARKER = /<!--\s*docs-check env:\s*(.+?)\s*-->/g;
const PLACEHOLDER = /<[A-Za-z][\w .-]*>/;
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*: /;
const STATUS_COMMENT = /^#\s*(?:HTTP\/[\d.]+\s+)?(\d{3})(?=[\s,.;:]|$)[\s,]*(.*)$/;

/** README.md and every docs/*.md, in that order (docs/ alphabetically). */
export function pageFiles(root: string): string[] {
  const docs = path.join(root, 'docs');
  const pages = fs.existsSync(docs) ? fs.readdirSync(docs).filter((f) => f.endsWith('.md')).sort().map((f) => path.join('docs', f)) : [];
  return ['README.md', ...pages];
}

/** Parses a page's sh blocks and env marker. */
export function readPage(root: string, file: string): Page {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const env: Record<string, string> = {};
  for (const m of text.matchAll(ENV_MARKER)) {
    for (const pair of m[1]!.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`${file}: docs-check env entry "${pair}" is not NAME=value`);
      env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i]!;
    const fence = /^(\s*)```(\w*)\s*$/.exec(line);
    if (!fence) {
      if (line.trim() !== '') previous = line.trim();
      continue;
    }
    const indent = fence[1]!.length;
    const lang = fence[2]!;
    const body: { line: number; text: string }[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j]!)) {
      body.push({ line: j + 1, text: lines[j]!.slice(Math.min(indent, lines[j]!.length - lines[j]!.trimStart().length)) });
      j += 1;
    }
    if (lang === 'sh' || lang === 'bash' || lang === 'shell') {
      const notRun = NOT_RUN.exec(previous)?.[1];
      blocks.push({ file, line: i + 1, notRun, ...parseBlock(file, body) });
    }
    previous = '';
    i = j;
  }
  return { file, blocks, env };
}

function parseBlock(file: string, body: { line: number; text: string }[]): { steps: Step[]; placeholders: Step[] } {
  const steps: Step[] = [];
  const placeholders: Step[] = [];
  let last: Step | undefined;
  const attach = (at: number, apply: (e: Expectation) => void) => {
    if (!last) throw new Error(`${file}:${at}: an answer is shown before any command`);
    apply(last.expect);
  };
  for (let k = 0; k < body.length; k += 1) {
    const { line, text } = body[k]!;
    const trimmed = text.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      const { json, next } = collectJson(body, k, trimmed);
      k = next;
      attach(line, (e) => setShape(file, line, e, json));
      continue;
    }
    if (trimmed.startsWith('#')) {
      const status = STATUS_COMMENT.exec(trimmed);
      const rest = status ? status[2]! : trimmed.replace(/^#\s*/, '');
      const json = rest.startsWith('{') || rest.startsWith('[') ? rest : undefined;
      if (status) attach(line, (e) => { e.status = Number(status[1]); });
      if (json) attach(line, (e) => setShape(file, line, e, json));
      continue;
    }
    if (/^HTTP\/[\d.]+ \d{3}/.test(trimmed)) {
      attach(line, (e) => { e.status = Number(trimmed.split(' ')[1]); e.outputLines.push(trimmed); });
      continue;
    }
    if (HEADER_LINE.test(trimmed)) {
      attach(line, (e) => { e.outputLines.push(trimmed); });
      continue;
    }
    let command = text;
    while (command.endsWith('\\') && k + 1 < body.length) {
      k += 1;
      command += `\n${body[k]!.text}`;
    }
    const step: Step = { line, command, expect: { outputLines: [] } };
    const trailing = trailingComment(command);
    const status = trailing === undefined ? null : STATUS_COMMENT.exec(trailing);
    if (status) step.expect.status = Number(status[1]);
    if (PLACEHOLDER.test(stripQuoted(command))) {
      placeholders.push(step);
      last = undefined;
    } else {
      steps.push(step);
      last = step;
    }
  }
  return { steps, placeholders };
}

/** A JSON answer may span lines: it ends where its brackets close. */
function collectJson(body: { text: string }[], start: number, first: string): { json: string; next: number } {
  let json = first;
  let k = start;
  while (depth(json) > 0 && k + 1 < body.length) {
    k += 1;
    json += body[k]!.text.trim();
  }
  return { json, next: k };
}

function depth(text: string): number {
  let d = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') d += 1;
    else if (c === '}' || c === ']') d -= 1;
  }
  return d;
}

function setShape(file: string, line: number, e: Expectation, json: string): void {
  try {
    e.shape = parseShape(json);
    e.shapeText = json;
  } catch (err) {
    throw new Error(`${file}:${line}: the answer shown is not readable JSON (${(err as Error).message}): ${json}`, { cause: err });
  }
}

/** The `# …` comment ending a command line, outside quotes; undefined when there is none. */
function trailingComment(command: string): string | undefined {
  let quote: string | null = null;
  for (let i = 0; i < command.length; i += 1) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i += 1;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i += 1;
    else if (c === '#' && (i === 0 || /\s/.test(command[i - 1]!))) return command.slice(i);
  }
  return undefined;
}

/** The command without its quoted strings and trailing comment (a `<` inside JSON or a header is no placeholder). */
function stripQuoted(command: string): string {
  const comment = trailingComment(command);
  const code = comment === undefined ? command : command.slice(0, command.length - comment.length);
  return code.replace(/'[^']*'/g, "''");
}

/** A body's shape as a page shows it: member names and nesting, with `…` eliding the rest. */
export type Shape =
  | { kind: 'object'; members: Map<string, Shape>; open: boolean }
  | { kind: 'array'; items: Shape[]; open: boolean }
  | { kind: 'scalar' }
  | { kind: 'any' };

/** Parses JSON as pages write it: `…` may stand for members, items or a value (`{"a":…}`, `[1,…30 days…]`). */
export function parseShape(text: string): Shape {
  let i = 0;
  const ws = () => { while (i < text.length && /\s/.test(text[i]!)) i += 1; };
  const fail = (what: string): never => { throw new Error(`${what} at character ${i}`); };
  const elision = (): boolean => {
    if (text[i] !== '…') return false;
    let d = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (d === 0 && (c === ',' || c === '}' || c === ']')) break;
      if (c === '{' || c === '[') d += 1;
      if (c === '}' || c === ']') d -= 1;
      i += 1;
    }
    return true;
  };
  const string = (): string => {
    if (text[i] !== '"') fail('expected a string');
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i += 1;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): Shape => {
    ws();
    const c = text[i];
    if (c === '{') {
      i += 1;
      const members = new Map<string, Shape>();
      let open = false;
      ws();
      if (text[i] === '}') { i += 1; return { kind: 'object', members, open }; }
      for (;;) {
        ws();
        if (elision()) open = true;
        else {
          const name = string();
          ws();
          if (text[i] !== ':') fail('expected ":"');
          i += 1;
          members.set(name, value());
        }
        ws();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === '}') { i += 1; return { kind: 'object', members, open }; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i += 1;
      const items: Shape[] = [];
      let open = false;
      ws();
      if (text[i] === ']') { i += 1; return { kind: 'array', items, open }; }
      for (;;) {
        ws();
        if (elision()) open = true;
        else items.push(value());
        ws();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === ']') { i += 1; return { kind: 'array', items, open }; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') { string(); return { kind: 'scalar' }; }
    if (elision()) return { kind: 'any' };
    const literal = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!literal) fail('expected a value');
    i += literal![0].length;
    return { kind: 'scalar' };
  };
  const shape = value();
  ws();
  if (i < text.length) fail('unexpected text after the value');
  return shape;
}

/**
 * Compares a body with the shape a page shows: every member shown is there, with the same
 * nesting; an object shown without `…` has no other members; each array item has the shape of
 * the item shown at its place (or of the last one shown). Values are not compared.
 */
export function matchShape(shape: Shape, actual: unknown, at = '$'): string[] {
  switch (shape.kind) {
    case 'any':
      return [];
    case 'scalar':
      return actual !== null && typeof actual === 'object' ? [`${at}: the page shows a value, the answer has ${Array.isArray(actual) ? 'an array' : 'an object'}`] : [];
    case 'array': {
      if (!Array.isArray(actual)) return [`${at}: the page shows an array, the answer has ${JSON.stringify(actual)?.slice(0, 60)}`];
      if (shape.items.length === 0) return [];
      return actual.flatMap((item, n) => matchShape(shape.items[Math.min(n, shape.items.length - 1)]!, item, `${at}[${n}]`)).slice(0, 5);
    }
    case 'object': {
      if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: the page shows an object, the answer has ${JSON.stringify(actual)?.slice(0, 60)}`];
      const record = actual as Record<string, unknown>;
      const errors: string[] = [];
      for (const [name, member] of shape.members) {
        if (!(name in record)) errors.push(`${at}: the page shows "${name}", the answer has no such member`);
        else errors.push(...matchShape(member, record[name], `${at}.${name}`));
      }
      if (!shape.open) {
        const extra = Object.keys(record).filter((k) => !shape.members.has(k));
        if (extra.length > 0) errors.push(`${at}: the answer has members the page does not show (and no "…"): ${extra.join(', ')}`);
      }
      return errors;
    }
  }
}

/** Does a line of a command's output match one the page shows (`…` matches anything; header names case-insensitively)? */
export function outputHas(output: string, expected: string): boolean {
  const pattern = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  const header = HEADER_LINE.test(expected);
  const re = new RegExp(`^${pattern}$`, header ? 'i' : '');
  return output.split('\n').map((l) => l.replace(/\r$/, '').trim()).some((l) => re.test(l));
}

/** One request and its answer as `curl --trace` recorded them. */
export interface Exchange {
  method: string;
  target: string;
  status: number;
  headers: Record<string, string>;
  /** The body as received (still compressed, if it was). */
  raw: Buffer;
}

/** Reads a `curl --trace` file (hex dumps: each line's hex field is 16 × 3 characters wide). */
export function parseTrace(text: string): Exchange[] {
  const exchanges: Exchange[] = [];
  let section = '';
  let chunks: Buffer[] = [];
  let current: (Exchange & { body: Buffer[] }) | undefined;
  const flush = () => {
    const bytes = Buffer.concat(chunks);
    chunks = [];
    if (section === 'Send header') {
      const [requestLine] = bytes.toString('latin1').split('\r\n');
      const [method = '', target = ''] = (requestLine ?? '').split(' ');
      current = { method, target, status: 0, headers: {}, raw: Buffer.alloc(0), body: [] };
      exchanges.push(current);
    } else if (section === 'Recv header' && current) {
      const line = bytes.toString('latin1').replace(/\r?\n$/, '');
      const status = /^HTTP\/[\d.]+ (\d{3})/.exec(line);
      if (status) {
        current.status = Number(status[1]);
        current.headers = {};
        current.body = [];
      } else if (line.includes(':')) {
        const name = line.slice(0, line.indexOf(':')).trim().toLowerCase();
        const value = line.slice(line.indexOf(':') + 1).trim();
        current.headers[name] = current.headers[name] === undefined ? value : `${current.headers[name]}, ${value}`;
      }
    } else if (section === 'Recv data' && current) {
      current.body.push(bytes);
    }
  };
  for (const line of text.split('\n')) {
    const head = /^(?:=>|<=|==) ([A-Za-z ]+?)(?:,|:|$)/.exec(line);
    if (head) {
      flush();
      section = head[1]!;
      continue;
    }
    const dump = /^[0-9a-f]{4}: /.exec(line);
    if (dump && section !== 'Info') {
      const hex = line.slice(6, 6 + 48).trim().split(/\s+/).filter((h) => /^[0-9a-f]{2}$/.test(h));
      chunks.push(Buffer.from(hex.join(''), 'hex'));
    }
  }
  flush();
  for (const ex of exchanges as (Exchange & { body: Buffer[] })[]) {
    ex.raw = Buffer.concat(ex.body);
    delete (ex as { body?: Buffer[] }).body;
  }
  return exchanges;
}

/** The body as the server meant it: chunked framing removed, then the content coding undone. */
export function decodedBody(ex: Exchange): Buffer {
  let body = ex.raw;
  if (/chunked/i.test(ex.headers['transfer-encoding'] ?? '')) body = dechunk(body);
  const coding = (ex.headers['content-encoding'] ?? '').toLowerCase();
  if (coding === 'gzip') return zlib.gunzipSync(body);
  if (coding === 'br') return zlib.brotliDecompressSync(body);
  return body;
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const eol = raw.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(raw.subarray(at, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
