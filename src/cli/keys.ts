import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config';
import { StoreStartupError } from '../domain/store-errors';
import { generateKey, hashKey } from '../domain/keys';
import type { Store } from '../domain/repository';
import { createStore } from '../store/create-store';

const USAGE = `usage: npm run keys -- create --user <name or id> [--partner] [--label <text>]
       npm run keys -- list
       npm run keys -- revoke <key id>

Keys are stored hashed: a new key is printed once, here, and never again.
A running service may accept a revoked key for up to a minute (its key cache).`;

const newId = (prefix: string) => `${prefix}_${randomBytes(6).toString('hex')}`;

async function create(store: Store, args: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { user: { type: 'string' }, partner: { type: 'boolean' }, label: { type: 'string' } } });
  if (!values.user) throw new UsageError('create needs --user <name or id>');
  const now = new Date();
  let user = (await store.users.findById(values.user)) ?? (await store.users.findByName(values.user));
  if (!user) {
    const id = newId('usr');
    user = { id, name: values.user, email: `${id}@users.facet.invalid`, avatarUrl: null, createdAt: now };
    await store.users.insert(user);
    out(`created user ${user.id} (${user.name})`);
  }
  const kind = values.partner ? 'partner' : 'user';
  const secret = generateKey(kind);
  const id = newId('key');
  await store.keys.insert({ id, hash: hashKey(secret), userId: user.id, kind, label: values.label ?? `${kind} key`, prefix: secret.slice(0, 16) }, now);
  out(`created ${kind} key ${id} for ${user.name} (${user.id}); this is the only time it is shown:`);
  out(secret);
  return 0;
}

async function list(store: Store, out: (line: string) => void): Promise<number> {
  const keys = await store.keys.list();
  out(['id', 'kind', 'user', 'label', 'prefix', 'created', 'revoked'].join('\t'));
  for (const k of keys) {
    out([k.id, k.kind, `${k.userName} (${k.userId})`, k.label, k.prefix ? `${k.prefix}…` : '-', k.createdAt.toISOString(), k.revokedAt?.toISOString() ?? '-'].join('\t'));
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

/** A command line the CLI cannot run; printed with the usage. */
class UsageError extends Error {}

/** Runs `keys <command> …` against the configured store (DATABASE_URL, else DATA_DIR); returns the exit code. */
export async function runKeysCli(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const store = await createStore({ ...config, dataDir: path.resolve(config.dataDir) });
  try {
    if (command === 'create') return await create(store, rest, out);
    if (command === 'list') return await list(store, out);
    if (command === 'revoke') return await revoke(store, rest, out);
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
