import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { watchLoad } from './card-watch-worker';
import { cpuMicros } from './cpu';
import { CREDENTIAL_NOTES } from './credentials-notes';
import { judgeCredentials, renderBurst, renderCredentialRuns, renderCredentialSummary, writeCredentialsSection } from './credentials-report';
import type { BurstResult, CredentialResult } from './credentials-report';
import { httpGet } from './http-get';
import { loadTool, runLoad } from './load';
import { describeMachine } from './machine';
import { startServer } from './processes';
import type { ServerProcess } from './processes';
import { SCENARIOS } from './scenarios';
import type { Scenario } from './scenarios';
import { envNumber, epochMs, LOAD_CPU, PROJECT, runSettings, say, SERVER_CPU } from './settings';
import { credentialHeaders, CREDENTIALS, signInBurst, signInsInTurn } from './sign-in';
import type { Credential } from './sign-in';

const settings = {
  ...runSettings(),
  /** Sign-ins sent at once in the burst, and the seconds of card load measured just before it. */
  signIns: envNumber('BENCH_SIGNINS', 50),
  quietSeconds: envNumber('BENCH_BURST_QUIET', 5),
};
/** Issue 17's hot reads, in the peer comparison's run order (the redirect records clicks: last). */
const NAMES = ['card summary', 'dashboard summary', 'dashboard full', 'redirect + click'];
const ALONE = 5;
const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/** The scenario's headers with the credential's in place of any Authorization it had. */
function asking(s: Scenario, credential: Record<string, string>): Record<string, string> {
  const rest = Object.fromEntries(Object.entries(s.headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
  return { ...rest, ...credential };
}

/** Checks that each credential gets the API key's answer (status, Content-Type, body, Location); the body's bytes. */
async function checkAlike(url: string, s: Scenario, headers: Record<Credential, Record<string, string>>): Promise<number> {
  // HEAD for the redirect: not a visit, so no click changes the bodies.
  const [key, ...others] = await Promise.all(CREDENTIALS.map((c) => httpGet(url + s.path, asking(s, headers[c]), s.status === 302 ? 'HEAD' : 'GET')));
  for (const [i, res] of [key!, ...others].entries()) {
    const differs = ['content-type', 'location'].find((h) => res.headers[h] !== key!.headers[h]) ?? (res.body !== key!.body ? 'body' : undefined);
    if (res.status !== s.status || differs) throw new Error(`"${s.name}" with the ${CREDENTIALS[i]}: ${res.status} (expected ${s.status})${differs ? `, a ${differs} unlike the key's` : ''}: ${res.body.slice(0, 200)}`);
  }
  return Buffer.byteLength(key!.body);
}

/** Node's process warnings in the server's output (such as MaxListenersExceededWarning), each once. */
function serverWarnings(logFile: string): string[] {
  const lines = fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => /^\(node:\d+\) \w*Warning/.test(l));
  return [...new Set(lines.map((l) => l.replace(/^\(node:\d+\) /, '')))];
}

/** Five sign-ins in turn on the idle server, then the burst while the card is read at full load. */
async function measureBurst(facet: ServerProcess): Promise<BurstResult> {
  const cpuBefore = cpuMicros(facet.pid);
  const alone = await signInsInTurn(facet.url, ALONE);
  const cpuAfter = cpuMicros(facet.pid);
  const card = SCENARIOS.find((s) => s.name === 'card summary')!;
  const watch = watchLoad({ url: facet.url + card.path, headers: card.headers, connections: settings.connections, maxSeconds: settings.warmup + settings.quietSeconds + 300 }, LOAD_CPU);
  await sleep(settings.warmup);
  const quietFrom = epochMs();
  await sleep(settings.quietSeconds);
  const burst = await signInBurst(facet.url, settings.signIns);
  const { without, during } = await watch.stop({ without: [quietFrom, burst.fromMs], during: [burst.fromMs, burst.toMs] });
  const aloneCpuUs = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / ALONE;
  return { burst, alone, aloneCpuUs, card: { without: without!, during: during! } };
}

/**
 * `npm run bench -- --credentials`: card, dashboards and redirect with the demo user's API key,
 * a session cookie and an access token, interleaved, with the server's CPU per answer; then a
 * burst of sign-ins at the service's real scrypt cost while the card is read. The result goes into
 * its own section of bench/RESULTS.md.
 */
export async function runCredentialsBench(): Promise<void> {
  const loadBefore = os.loadavg()[0]!;
  const tool = loadTool();
  const scenarios = SCENARIOS.filter((s) => NAMES.includes(s.name) && (!settings.only || settings.only.some((o) => s.name.includes(o))));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-bench-credentials-'));
  let facet: ServerProcess | undefined;
  try {
    facet = await startServer({
      name: 'facet', script: path.join(PROJECT, 'dist', 'src', 'main.js'), cpu: SERVER_CPU, ready: '/healthz', logFile: path.join(work, 'facet.log'),
      env: {
        DATA_DIR: path.join(work, 'data'), PUBLIC_BASE_URL: 'http://localhost:3000', NODE_ENV: 'development', SEED_DEMO_DATA: 'true', LOG_LEVEL: 'info',
        RATE_LIMIT_REDIRECTS_PER_ADDRESS: '1000000000', RATE_LIMIT_READS_PER_CREDENTIAL: '0',
        // The service's default password cost, whatever the shell says: the seed hashes the demo passwords at it too.
        PASSWORD_SCRYPT_LOG_N: '17',
        // An attempt counts as a failure until its password is verified: of 50 at once for one account, 40 are over its quota of 10 (429).
        SIGNIN_FAILURES_PER_ACCOUNT: '1000000', SIGNIN_FAILURES_PER_ADDRESS: '1000000000',
        // However long BENCH_SECONDS makes the run, the session and the access token outlive it.
        SESSION_IDLE_SECONDS: '7200', ACCESS_TOKEN_SECONDS: '7200',
      },
    });
    const headers = await credentialHeaders(facet.url);
    say(`load: ${tool}, ${settings.connections} connections, ${settings.runs} × ${settings.seconds} s per credential after ${settings.warmup} s warm-up, interleaved`);

    const burst = settings.signIns > 0 && !settings.only ? await measureBurst(facet) : null;
    if (burst) say(`\n${renderBurst(burst)}`);

    const results: CredentialResult[] = [];
    for (const scenario of scenarios) {
      const result: CredentialResult = { scenario, runs: {}, bodyBytes: await checkAlike(facet.url, scenario, headers) };
      const load = (c: Credential, seconds: number) => runLoad(tool, {
        url: facet!.url + scenario.path, headers: asking(scenario, headers[c]), seconds, connections: settings.connections, maxRequests: 60_000 * seconds, cpu: LOAD_CPU,
      });
      for (const c of CREDENTIALS) await load(c, settings.warmup);
      for (let run = 0; run < settings.runs; run += 1) {
        // Rotate the order each run so drift on a noisy machine hits every credential alike.
        for (let i = 0; i < CREDENTIALS.length; i += 1) {
          const c = CREDENTIALS[(i + run) % CREDENTIALS.length]!;
          const before = cpuMicros(facet.pid);
          const r = await load(c, settings.seconds);
          const after = cpuMicros(facet.pid);
          (result.runs[c] ??= []).push({ ...r, cpuUsPerAnswer: before === null || after === null || r.requests === 0 ? null : (after - before) / r.requests });
        }
      }
      results.push(result);
      say(`\n${renderCredentialRuns([result])}`);
    }
    const targets = judgeCredentials(results);
    say(`\n${renderCredentialSummary(results)}\n\n${targets.map((t) => t.text).join('\n')}`);

    const method = `${tool}, ${settings.connections} connections, ${settings.warmup} s warm-up then ${settings.runs} runs × ${settings.seconds} s per credential, `
      + 'credentials interleaved in rotating order; median of the runs; p50/p99 are medians of the runs\' percentiles; CPU µs/answer is the server process\'s '
      + 'user + system time (/proc/<pid>/stat, all threads) over a run ÷ the answers of that run; one Facet on a fresh seeded DATA_DIR at its defaults '
      + '(LOG_LEVEL=info, PASSWORD_SCRYPT_LOG_N=17) with the redirect limit, the sign-in failure limits and the session and token lifetimes raised; '
      + 'the key is demo_user_key, the cookie and the token come from signing the demo user in (POST /api/session, POST /api/tokens); '
      + `the public card and the redirect ignore the cookie by design, and are loaded with it anyway. Burst: ${ALONE} sign-ins in turn on the idle server, `
      + `then autocannon (bench/card-watch-worker.ts, ${settings.connections} connections, on the load CPU) reads the card summary for ${settings.warmup} s of warm-up and `
      + `${settings.quietSeconds} s without a burst, then ${settings.signIns} POST /api/session are sent at once from the bench process; each card answer is counted in the window it completed in`;
    const machine = describeMachine(tool);
    machine.unshift(['run', `npm run bench -- --credentials with BENCH_SECONDS=${settings.seconds} BENCH_RUNS=${settings.runs} BENCH_WARMUP=${settings.warmup} BENCH_SIGNINS=${settings.signIns}`]);
    // The machine is shared: how busy it was says how far to trust the absolute numbers.
    machine.push(['load average (1 min) at start / end', `${loadBefore.toFixed(1)} / ${os.loadavg()[0]!.toFixed(1)}`]);
    const warnings = serverWarnings(path.join(work, 'facet.log'));
    if (warnings.length) say(`\nthe server warned:\n${warnings.join('\n')}`);
    const notes = warnings.length ? [...CREDENTIAL_NOTES, `What the server printed to stderr during this run: ${warnings.map((w) => `\`${w}\``).join('; ')}.`] : CREDENTIAL_NOTES;
    const out = process.env.BENCH_RESULTS ?? (settings.only ? undefined : path.join(PROJECT, 'bench', 'RESULTS.md'));
    if (out) {
      writeCredentialsSection(out, { machine, method, results, targets, burst, notes });
      say(`\nwritten to ${out} (section "Credentials")`);
    }
  } finally {
    await facet?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
