import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Response } from 'supertest';
import { PROBLEM, SHORT_NAME } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { buildRegistry, OTHER_SCHEMAS } from '../../representations/registry';
import type { ResourceName } from '../../representations/registry';
import { expectValidSparseBody } from '../helpers/relaxed-schema';
import { expectValidBody } from '../helpers/schema';
import { startService } from '../process/service-process';
import { decodedBody, matchShape, outputHas, pageFiles, parseShape, parseTrace, readPage } from './page-commands';
import type { Block, Exchange, Page, Step } from './page-commands';

/**
 * The docs check: every runnable command of README.md and docs/*.md runs against the real
 * service (dist/src/main.js with the demo data, one fresh service per page), block by block in
 * page order, each block as one bash script; each command's status, body shape and output lines
 * must be what the page shows, and every vendor or problem body must match its schema.
 */

const ROOT = path.join(__dirname, '..', '..');
const README_LIMIT = 8192;
const PAGES: Page[] = pageFiles(ROOT).map((file) => readPage(ROOT, file));
const registry = buildRegistry();
const summary: string[] = [];

const runBlocks = (page: Page) => page.blocks.filter((b) => b.notRun === undefined);
const count = (blocks: Block[], of: (b: Block) => Step[]) => blocks.reduce((n, b) => n + of(b).length, 0);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describePage(page: Page): string {
  const run = runBlocks(page);
  const notRun = page.blocks.filter((b) => b.notRun !== undefined);
  const placeholders = count(page.blocks, (b) => b.placeholders);
  const skipped = [
    notRun.length > 0 ? `${plural(notRun.length, 'block')} (${plural(count(notRun, (b) => b.steps), 'command')}) marked not run` : '',
    placeholders > 0 ? `${plural(placeholders, 'command')} with a placeholder` : '',
  ].filter(Boolean);
  return `${page.file}: ${plural(count(run, (b) => b.steps), 'command')} in ${plural(run.length, 'block')} answer as the page shows${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}`;
}

describe('the commands in README.md and docs/*.md', () => {
  afterAll(() => {
    const runs = PAGES.reduce((n, p) => n + count(runBlocks(p), (b) => b.steps), 0);
    const notRun = PAGES.flatMap((p) => p.blocks.filter((b) => b.notRun !== undefined));
    const placeholders = PAGES.reduce((n, p) => n + count(p.blocks, (b) => b.placeholders), 0);
    process.stderr.write(`docs check: ran ${plural(runs, 'command')}; skipped ${plural(notRun.length, 'block')} marked not run (${plural(count(notRun, (b) => b.steps), 'command')}) and ${plural(placeholders, 'command')} with a placeholder\n${summary.join('\n')}\n`);
  });

  it(`README.md is a front door of at most ${README_LIMIT} bytes`, () => {
    expect(fs.statSync(path.join(ROOT, 'README.md')).size).toBeLessThanOrEqual(README_LIMIT);
  });

  it('every block marked not run says why, and every page with a sh block runs or marks it', () => {
    for (const page of PAGES) {
      for (const block of page.blocks) {
        if (block.notRun !== undefined) expect(block.notRun.length).toBeGreaterThan(3);
        expect(block.steps.length + block.placeholders.length).toBeGreaterThan(0);
      }
    }
    expect(PAGES.map((p) => p.file)).toEqual(expect.arrayContaining(['README.md', 'docs/design.md', 'docs/negotiation.md']));
  });

  it('every relative link reaches a file, and every #anchor a heading of it', () => {
    const broken = PAGES.flatMap((page) => brokenLinks(page.file));
    expect(broken).toEqual([]);
  });

  const runnable = PAGES.filter((p) => runBlocks(p).some((b) => b.steps.length > 0));
  it.each(runnable.map((page) => [describePage(page), page] as const))('%s', async (_name, page) => {
    summary.push(describePage(page));
    const failures = await runPage(page);
    expect(failures).toEqual([]);
  }, 240_000);
});

describe('the docs check reads a page', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-docs-page-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const page = (text: string): Page => {
    fs.writeFileSync(path.join(dir, 'page.md'), text);
    return readPage(dir, 'page.md');
  };
  const fence = (lines: string[]) => ['```sh', ...lines, '```'].join('\n');

  it('takes a status and a shape from the lines after a command, and a status from its trailing comment', () => {
    const [block] = page(fence([
      "X=$(curl -s -d '{\"a\":1}' localhost:3000/api/x | field a)",
      '# 201 {"a":"…","b":[…]}',
      'curl -s -X DELETE localhost:3000/api/x   # 204, gone',
      'curl -s -i localhost:3000/api/y',
      'HTTP/1.1 200 OK',
      'Vary: Accept, …',
    ])).blocks;
    expect(block!.steps.map((s) => s.expect.status)).toEqual([201, 204, 200]);
    expect(block!.steps[0]!.expect.shape).toBeDefined();
    expect(block!.steps[2]!.expect.outputLines).toEqual(['HTTP/1.1 200 OK', 'Vary: Accept, …']);
  });

  it('skips a block marked not run and a command naming a placeholder', () => {
    const { blocks } = page(['<!-- not run: starts varnishd -->', fence(['varnishd -F']), '', fence(['npm run keys -- revoke <key id>', 'curl -s localhost:3000/healthz'])].join('\n'));
    expect(blocks.map((b) => b.notRun)).toEqual(['starts varnishd', undefined]);
    expect(blocks[1]!.placeholders.map((s) => s.command)).toEqual(['npm run keys -- revoke <key id>']);
    expect(blocks[1]!.steps.map((s) => s.command)).toEqual(['curl -s localhost:3000/healthz']);
  });

  it('compares member names and nesting, not values; "…" stands for the rest', () => {
    expect(matchShape(parseShape('{"a":1,…}'), { a: 'x', b: 2 })).toEqual([]);
    expect(matchShape(parseShape('{"a":1}'), { a: 1, b: 2 })).toHaveLength(1);
    expect(matchShape(parseShape('{"a":{…}}'), { a: [] })).toHaveLength(1);
    expect(matchShape(parseShape('{"d":[3,0,…30 days…],"x":…}'), { d: [1, 2, 3], x: { y: 1 } })).toEqual([]);
    expect(matchShape(parseShape('{"l":[{"b":1},…]}'), { l: [{ b: 1 }, { c: 1 }] })).toHaveLength(2);
  });

  it('reads the exchanges of a curl --trace file', () => {
    const hex = (text: string) => Buffer.from(text).toString('hex').match(/.{1,32}/g)!
      .map((line, n) => `${(n * 16).toString(16).padStart(4, '0')}: ${line.match(/../g)!.join(' ').padEnd(48)} …`).join('\n');
    const trace = [
      '=> Send header, 1 bytes', hex('GET /api/links/facet HTTP/1.1\r\nHost: x\r\n\r\n'),
      '<= Recv header, 1 bytes', hex('HTTP/1.1 200 OK\r\n'),
      '<= Recv header, 1 bytes', hex('Content-Type: application/vnd.example.summary+json\r\n'),
      '<= Recv data, 1 bytes', hex('{"code":"facet"}'),
    ].join('\n');
    const [ex] = parseTrace(trace);
    expect(ex).toMatchObject({ method: 'GET', target: '/api/links/facet', status: 200, headers: { 'content-type': 'application/vnd.example.summary+json' } });
    expect(decodedBody(ex!).toString()).toBe('{"code":"facet"}');
  });
});

/** Starts a fresh service for the page, runs its blocks in order and returns what differed from the page. */
async function runPage(page: Page): Promise<string[]> {
  // A loaded CI machine must not push a dashboard section past its budget into `degraded`.
  const service = await startService({ DASHBOARD_BUDGET_MS: '10000', ...page.env });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-docs-'));
  const failures: string[] = [];
  try {
    const port = new URL(service.baseUrl).port;
    for (const [n, block] of runBlocks(page).entries()) {
      const dir = path.join(work, `block-${n}`);
      fs.mkdirSync(path.join(dir, 'trace'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'out'));
      const result = await bash(script(block, port), work, {
        ...process.env,
        ...page.env,
        DATA_DIR: service.dataDir,
        NODE_ENV: 'test',
        PASSWORD_SCRYPT_LOG_N: '10',
        FACET_ROOT: ROOT,
        FACET_TRACE: path.join(dir, 'trace'),
        FACET_OUT: path.join(dir, 'out'),
      });
      if (result.error) failures.push(`${page.file}:${block.line}: the block did not finish: ${result.error}`);
      for (const [i, step] of block.steps.entries()) failures.push(...checkStep(page, step, i, dir));
    }
  } finally {
    service.child.kill('SIGKILL');
    await service.exited;
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  }
  return failures;
}

/**
 * One block as one bash script: each command writes its output to out/<n>.*, and curl (a
 * function here) records every exchange with --trace in trace/<n>.*; `npm run keys -- …` runs
 * the CLI jest's global setup has just built, as the npm script does after its build.
 */
function script(block: Block, port: string): string {
  const lines = [
    'set -o pipefail',
    'curl() { command curl --trace "$FACET_TRACE/$FACET_STEP.${EPOCHREALTIME/./}.$BASHPID" "$@"; }',
    'npm() { if [ "$1 $2 $3" = "run keys --" ]; then shift 3; node "$FACET_ROOT/dist/src/cli/keys.js" "$@"; else echo "docs check: only npm run keys -- ... runs here; mark the block <!-- not run: why -->" >&2; return 127; fi; }',
  ];
  for (const [n, step] of block.steps.entries()) {
    lines.push(`FACET_STEP=${n}`, '{', step.command.replaceAll('localhost:3000', `localhost:${port}`), `} >"$FACET_OUT/${n}.out" 2>"$FACET_OUT/${n}.err" </dev/null`, `echo $? >"$FACET_OUT/${n}.rc"`);
  }
  return `${lines.join('\n')}\n`;
}

function bash(source: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ error?: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', source], { cwd, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (err) => {
      // The script's own status is the last command's; each command's is checked on its own.
      resolve(err && (err as { killed?: boolean }).killed ? { error: 'timed out after 120 s' } : {});
    });
  });
}

function checkStep(page: Page, step: Step, n: number, dir: string): string[] {
  const where = `${page.file}:${step.line}: ${step.command.split('\n')[0]!.slice(0, 110)}`;
  const read = (suffix: string) => {
    const file = path.join(dir, 'out', `${n}.${suffix}`);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const rc = read('rc');
  const stdout = read('out') ?? '';
  const stderr = read('err') ?? '';
  if (rc === undefined) return [`${where}\n  did not run`];
  const failures: string[] = [];
  if (Number(rc) !== 0) failures.push(`exited ${rc.trim()}${stderr ? `: ${stderr.trim().slice(0, 300)}` : ''}`);
  const exchanges = traces(dir, n);
  const last = exchanges.at(-1);
  for (const [i, ex] of exchanges.entries()) {
    const stated = i === exchanges.length - 1 ? step.expect.status : undefined;
    if (stated !== undefined && ex.status !== stated) failures.push(`${ex.method} ${ex.target}: the page says ${stated}, the service answered ${ex.status}`);
    if (stated === undefined && !(ex.status >= 200 && ex.status < 400) && ex.status !== step.expect.status) failures.push(`${ex.method} ${ex.target}: answered ${ex.status}, which the page does not show (a command showing no status must get a 2xx or 3xx)`);
    failures.push(...schemaErrors(ex));
  }
  if (step.expect.status !== undefined && !last) failures.push(`the page says ${step.expect.status}, but the command made no request`);
  if (step.expect.shape) {
    const text = last ? decodedBody(last).toString('utf8') : stdout;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      failures.push(`the page shows a JSON body, the answer is not JSON: ${text.slice(0, 200)}`);
    }
    if (body !== undefined) {
      const errors = matchShape(step.expect.shape, body);
      if (errors.length > 0) failures.push(`the body's shape differs from the page's ${step.expect.shapeText!.slice(0, 120)}:\n    ${errors.join('\n    ')}`);
    }
  }
  for (const line of step.expect.outputLines) {
    if (!outputHas(stdout, line)) failures.push(`the page shows the line "${line}", the output has none like it:\n${stdout.slice(0, 600)}`);
  }
  return failures.length === 0 ? [] : [`${where}\n  ${failures.join('\n  ')}`];
}

/** The exchanges a command's curl calls recorded, in the order they were made. */
function traces(dir: string, n: number): Exchange[] {
  const files = fs.readdirSync(path.join(dir, 'trace')).filter((f) => f.startsWith(`${n}.`));
  files.sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return files.flatMap((f) => parseTrace(fs.readFileSync(path.join(dir, 'trace', f), 'utf8')));
}

/** The resource a vendor body at this path is a representation of. */
function resourceOf(method: string, pathname: string): ResourceName | undefined {
  if (/^\/api\/links\/[^/]+\/stats\/?$/.test(pathname)) return 'link-stats';
  if (/^\/api\/links\/[^/]+\/?$/.test(pathname)) return 'link';
  if (/^\/api\/links\/?$/.test(pathname)) return method === 'POST' ? 'link' : 'link-page';
  if (pathname === '/api/me' || pathname === '/api/accounts') return 'me';
  if (/^\/api\/teams\/[^/]+$/.test(pathname)) return 'team';
  if (pathname === '/api/dashboard') return 'dashboard';
  return undefined;
}

/** The schema of a sign-in answer (plain application/json), by path and status. */
function signInSchemaOf(method: string, pathname: string, status: number): string | undefined {
  if (pathname === '/api/session' && (status === 200 || status === 201) && method !== 'DELETE') return OTHER_SCHEMAS.session;
  if ((pathname === '/api/tokens' || pathname === '/oauth/token') && status === 200) return OTHER_SCHEMAS.tokenResponse;
  if (pathname === '/oauth/token' && status >= 400 && status < 500) return OTHER_SCHEMAS.oauthError;
  return undefined;
}

function schemaErrors(ex: Exchange): string[] {
  const type = ex.headers['content-type'];
  const url = new URL(ex.target, 'http://localhost');
  const where = `${ex.method} ${ex.target} (${ex.status} ${type ?? 'no Content-Type'})`;
  let text: string;
  try {
    text = ex.method === 'HEAD' ? '' : decodedBody(ex).toString('utf8');
  } catch (err) {
    return [`${where}: the body could not be decoded: ${(err as Error).message}`];
  }
  try {
    if (type && type in SHORT_NAME) {
      const resource = resourceOf(ex.method, url.pathname);
      if (!resource) return [`${where}: the check does not know which resource this body represents (teach resourceOf)`];
      if (url.searchParams.has('fields') && ex.status === 200) expectValidSparseBody(resource, type as VendorType, JSON.parse(text));
      else expectValidBody(registry, asResponse(ex, text), resource);
    } else if (type === PROBLEM) {
      expectValidBody(registry, asResponse(ex, text));
    } else if (type?.startsWith('application/json')) {
      const schema = signInSchemaOf(ex.method, url.pathname, ex.status);
      const validate = schema ? registry.validator(schema) : undefined;
      if (validate && !validate(JSON.parse(text))) return [`${where}: the body does not match ${schema}: ${JSON.stringify(validate.errors)}`];
    }
  } catch (err) {
    return [`${where}: ${(err as Error).message.split('\n')[0]}`];
  }
  return [];
}

/** What test/helpers/schema.ts reads of a supertest response. */
function asResponse(ex: Exchange, text: string): Response {
  return { status: ex.status, headers: ex.headers, text, req: { method: ex.method } } as unknown as Response;
}

/** GitHub's heading anchors of a Markdown file. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

function brokenLinks(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const broken: string[] = [];
  for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    const [filePart = '', anchor] = target.split('#');
    const resolved = filePart === '' ? path.join(ROOT, file) : path.join(ROOT, path.dirname(file), filePart);
    if (!fs.existsSync(resolved)) broken.push(`${file}: ${target} (no such file)`);
    else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) broken.push(`${file}: ${target} (no such heading)`);
  }
  return broken;
}
