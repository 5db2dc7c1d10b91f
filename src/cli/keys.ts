import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { StoreStartupError } from '../domain/store-errors';
import { generateKey, hashKey } from '../domain/keys';
import type { KeyInfo, Store } from '../domain/repository';
import { SCOPES } from '../domain/types';
import type { KeyKind, Scope } from '../domain/types';
import { SHORT_NAME } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { createStore } from '../store/create-store';
import { pin } from './key-pins';
import { usage } from './key-usage-report';
import { UsageError } from './usage-error';

/** How long the old key of a rotation keeps working by default: a day to deploy the new one. */
const DEFAULT_OVERLAP_SECONDS = 86_400;

const USAGE = `usage: npm run keys -- create --user <name or id> [--partner] [--label <text>] [--scope <scope>]...
       npm run keys -- rotate <key id> [--overlap <seconds>]
       npm run keys -- list
       npm run keys -- revoke <key id>
       npm run keys -- pin <key id> partner.v3|partner.v4|default    (or: pin <key id> --clear)
       npm run keys -- usage [--days <1-90>] [--json]

Scopes: ${SCOPES.join(', ')}; a key created without --scope may do everything its kind may.
rotate prints a new key with the old one's user, kind, label and scopes; the old key keeps
working for --overlap seconds (default ${DEFAULT_OVERLAP_SECONDS}, one day), then stops.
pin moves a partner key's default contract (what Accept: */* or application/json gets) to a
frozen one; default (or --clear) follows the service's default, partner.v3. Rotation keeps the pin.
usage prints answers per key and representation over the last --days UTC days (default 30),
and each key's last use; counts are written by the service every ~30 s and at shutdown.
Keys are stored hashed: a new key is printed once, here, and never again.
On SQLite, a running service may accept a revoked key, or answer a key's old pin, for up to a
minute (its key cache); on PostgreSQL every instance sees the change at once (the change feed).`;


const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

function scopesOf(given: string[] | undefined): Scope[] | null {
  if (!given || given.length === 0) return null;
  const unknown = given.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`unknown scope ${unknown.join(', ')} (scopes: ${SCOPES.join(', ')})`);
  return [...new Set(given)] as Scope[];
}

/** Mints a key, stores its hash and prints it: the only time it is shown. */
async function mint(store: Store, key: { userId: string; userName: string; kind: KeyKind; label: string; scopes: Scope[] | null; pin?: VendorType | null }, now: Date, out: (line: string) => void): Promise<string> {
  const secret = generateKey();
  const id = newId('key');
  await store.keys.insert({ id, hash: hashKey(secret), userId: key.userId, kind: key.kind, label: key.label, prefix: secret.slice(0, 16), scopes: key.scopes, pin: key.pin }, now);
  out(`created ${key.kind} key ${id} for ${key.userName} (${key.userId})${key.scopes ? ` with scopes ${key.scopes.join(', ')}` : ''}; this is the only time it is shown:`);
  out(secret);
  return id;
}

async function create(store: Store, args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' }, partner: { type: 'boolean' }, label: { type: 'string' }, scope: { type: 'string', multiple: true } } });
  if (!values.user) throw new UsageError('create needs --user <name or id>');
  const scopes = scopesOf(values.scope);
  const now = new Date();
  let user = (await store.users.findById(values.user)) ?? (await store.users.findByName(values.user));
  if (!user) {
    const id = newId('usr');
    user = { id, name: values.user, email: `${id}@users.facet.invalid`, avatarUrl: null, createdAt: now };
    await store.users.insert(user);
    out(`created user ${user.id} (${user.name})`);
  }
  const kind = values.partner ? 'partner' : 'user';
  await mint(store, { userId: user.id, userName: user.name, kind, label: values.label ?? `${kind} key`, scopes }, now, out);
  return 0;
}

/** A new key like an old one; the old one keeps working until the overlap ends, then stops (GitHub and Stripe rotate so). */
async function rotate(store: Store, args: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { overlap: { type: 'string' } } });
  const id = positionals[0];
  if (!id) throw new UsageError('rotate needs a key id (see list)');
  const overlap = values.overlap === undefined ? DEFAULT_OVERLAP_SECONDS : Number(values.overlap);
  if (!Number.isInteger(overlap) || overlap < 0 || overlap > 90 * 86_400) throw new UsageError('--overlap must be a whole number of seconds from 0 to 7776000 (90 days)');
  const now = new Date();
  const old: KeyInfo | undefined = (await store.keys.list()).find((k) => k.id === id && k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now));
  if (!old) {
    out(`no active key ${id}`);
    return 1;
  }
  await mint(store, { userId: old.userId, userName: old.userName, kind: old.kind, label: old.label, scopes: old.scopes, pin: old.pin }, now, out);
  const until = new Date(now.getTime() + overlap * 1000);
  await store.keys.expire(id, until);
  out(`${id} keeps working until ${until.toISOString()}, then stops; revoke it sooner with: npm run keys -- revoke ${id}`);
  return 0;
}

async function list(store: Store, out: (line: string) => void): Promise<number> {
  const keys = await store.keys.list();
  out(['id', 'kind', 'user', 'label', 'prefix', 'scopes', 'pin', 'created', 'last used', 'expires', 'revoked'].join('\t'));
  const time = (d: Date | null) => d?.toISOString() ?? '-';
  for (const k of keys) {
    out([k.id, k.kind, `${k.userName} (${k.userId})`, k.label, k.prefix ? `${k.prefix}…` : '-', k.scopes?.join(',') ?? 'all', k.pin ? SHORT_NAME[k.pin] : '-', k.createdAt.toISOString(), time(k.lastUsedAt), time(k.expiresAt), time(k.revokedAt)].join('\t'));
  }
  return 0;
}

async function revoke(store: Store, args: string[], out: (line: string) => void): Promise<number> {
  const id = args[0];
  if (!id) throw new UsageError('revoke needs a key id (see list)');
  if (!(await store.keys.revoke(id, new Date()))) {
    out(`no active key ${id}`);
    return 1;
  }
  out(`revoked ${id}`);
  return 0;
}

/** Runs `keys <command> …` against the configured store (DATABASE_URL, else DATA_DIR); returns the exit code. */
export async function runKeysCli(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const store = await createStore({ ...config, dataDir: path.resolve(config.dataDir) });
  try {
    if (command === 'create') return await create(store, rest, out);
    if (command === 'list') return await list(store, out);
    if (command === 'rotate') return await rotate(store, rest, out);
    if (command === 'revoke') return await revoke(store, rest, out);
    if (command === 'pin') return await pin(store, rest, out, err);
    if (command === 'usage') return await usage(store, rest, out);
    throw new UsageError(command ? `unknown command ${command}` : 'a command is needed');
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof TypeError)) throw e;
    err(`keys: ${e.message}\n\n${USAGE}`);
    return 2;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  runKeysCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`))
    .then((code) => { process.exitCode = code; })
    .catch((e: unknown) => {
      console.error(e instanceof StoreStartupError || e instanceof ConfigError ? `keys: ${e.message}` : 'keys: failed', e instanceof StoreStartupError || e instanceof ConfigError ? '' : e);
      process.exitCode = 1;
    });
}
