import { FROZEN, MEDIA_TYPES, PARTNER_V3, SHORT_NAME, typeOfName } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import type { Store } from '../domain/repository';
import { UsageError } from './usage-error';

/** What `pin <key id> default` (or `--clear`) takes: the key follows the default contract again. */
const DEFAULT = 'default';
const frozenNames = () => [...FROZEN].map((t) => SHORT_NAME[t]).join(', ');

/** What `pin` moves a key to, or the one-line reason it refuses the name. */
function pinNamed(name: string): { pin: VendorType | null } | { refused: string } {
  if (name === DEFAULT) return { pin: null };
  const type = typeOfName(name);
  if (type === undefined) return { refused: `unknown representation ${name} (representations: ${Object.keys(MEDIA_TYPES).join(', ')})` };
  if (!FROZEN.has(type)) return { refused: `${name} is not a frozen contract; a key may be pinned to ${frozenNames()}, or ${DEFAULT}` };
  return { pin: type };
}

const named = (pin: VendorType | null) => (pin === null ? `the default, ${SHORT_NAME[PARTNER_V3]}` : SHORT_NAME[pin]);

/**
 * `pin <key id> <contract>|default` (or `--clear`): which frozen contract a partner key's generic
 * Accept stands for, moved only on request (Stripe pins an account's API version so). Refusals
 * are one line on stderr and exit code 1.
 */
export async function pin(store: Store, args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const positionals = args.filter((a) => a !== '--clear');
  const clear = positionals.length < args.length;
  const [id, name = clear ? DEFAULT : undefined] = positionals;
  if (!id || name === undefined || positionals.length > 2 || (clear && positionals.length > 1)) throw new UsageError(`pin needs a key id and one of ${frozenNames()}, ${DEFAULT} (or --clear)`);
  const target = pinNamed(name);
  const refuse = (reason: string) => {
    err(`keys: ${reason}`);
    return 1;
  };
  if ('refused' in target) return refuse(target.refused);
  const key = (await store.keys.list()).find((k) => k.id === id && k.revokedAt === null);
  if (!key) return refuse(`no active key ${id}`);
  if (key.kind !== 'partner') return refuse(`${id} is a user key; only partner keys are pinned`);
  if (!(await store.keys.setPin(id, target.pin))) return refuse(`no active key ${id}`);
  out(`key ${id} pinned to ${named(target.pin)} (was ${named(key.pin)})`);
  return 0;
}
