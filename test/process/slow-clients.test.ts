import fs from 'node:fs';
import net from 'node:net';
import { startService } from './service-process';
import type { ServiceProcess } from './service-process';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/** How much later than its timeout a connection may be cut: Node checks timeouts periodically. */
const SLACK_MS = 1000;

/** What happened to a connection that trickles `head` then one byte of `trickle` every 100 ms. */
function trickle(service: ServiceProcess, head: string, trickleByte: string, boundMs: number): Promise<{ closedAfterMs: number; answer: string }> {
  const { port } = new URL(service.baseUrl);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString('latin1'); });
    socket.on('error', () => undefined); // a reset is a cut too; 'close' follows
    const drip = setInterval(() => { if (socket.writable) socket.write(trickleByte); }, 100);
    const bound = setTimeout(() => { cleanup(); socket.destroy(); reject(new Error(`connection still open after ${boundMs} ms`)); }, boundMs);
    const cleanup = () => { clearInterval(drip); clearTimeout(bound); };
    socket.on('close', () => { cleanup(); resolve({ closedAfterMs: Date.now() - started, answer }); });
  });
}

describe('slow clients against the real service', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService({ HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), MAX_CONNECTIONS: '8' });
  });
  afterAll(async () => {
    service.child.kill('SIGKILL');
    await service.exited;
    fs.rmSync(service.dataDir, { recursive: true, force: true });
  });

  it('cuts a client trickling its header fields once HEADERS_TIMEOUT_MS has passed, answering 408', async () => {
    const cut = await trickle(service, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', 'a', 10_000);
    expect(cut.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(cut.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT_MS + SLACK_MS);
    expect(cut.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(cut.answer).toContain('application/problem+json');
  }, 15_000);

  it('cuts a client trickling its body once REQUEST_TIMEOUT_MS has passed', async () => {
    const head = 'POST /api/links HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo_user_key\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"url":"';
    const cut = await trickle(service, head, 'a', 10_000);
    expect(cut.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(cut.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(cut.answer).not.toMatch(/^HTTP\/1\.1 201/);
  }, 15_000);

  it('holds at most MAX_CONNECTIONS connections, and serves again once they go', async () => {
    const { port } = new URL(service.baseUrl);
    const open = await Promise.all(Array.from({ length: 8 }, () => new Promise<net.Socket>((resolve) => {
      const s = net.connect(Number(port), '127.0.0.1', () => resolve(s));
      s.on('error', () => undefined);
    })));
    const refused = await new Promise<boolean>((resolve, reject) => {
      const extra = net.connect(Number(port), '127.0.0.1', () => extra.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
      let answer = '';
      extra.on('data', (c: Buffer) => { answer += c.toString(); });
      extra.on('error', () => undefined);
      const bound = setTimeout(() => { extra.destroy(); reject(new Error('the extra connection was neither served nor closed')); }, 5000);
      extra.on('close', () => { clearTimeout(bound); resolve(!answer.startsWith('HTTP/1.1 200')); });
    });
    expect(refused).toBe(true);
    await Promise.all(open.map((s) => new Promise((resolve) => { s.once('close', resolve); s.destroy(); })));
    // The service counts a connection gone once it has seen the close, a moment after this side has.
    let status = 0;
    for (const deadline = Date.now() + 5000; status !== 200 && Date.now() < deadline;) {
      status = await fetch(`${service.baseUrl}/healthz`).then((res) => res.status, () => 0);
    }
    expect(status).toBe(200);
  }, 15_000);
});
