import { MEDIA_TYPES, SUCCESSOR, typeOfName } from '../representations/media-types';
import type { VendorType } from '../representations/media-types';
import { ConfigError } from './config-values';

/** A representation's retirement as configured: deprecated from `deprecation` (RFC 9745), no longer offered from `sunset` (RFC 8594). */
export interface Retirement {
  type: VendorType;
  /** Its short name (`partner.v3`). */
  name: string;
  deprecation: Date;
  sunset: Date | null;
}

const EXAMPLE = 'partner.v3@2027-01-01T00:00:00Z';

// RFC 3339 §5.6 date-time, to the second (the headers carry whole seconds), with Z or a numeric offset.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/** The instant `raw` names, or null when it is no RFC 3339 date-time with a zone (or names no real day or time). */
export function instantOf(raw: string): Date | null {
  const m = DATE_TIME.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = m[8] === undefined ? 0 : Number(m[8]);
  const offsetMinutes = m[9] === undefined ? 0 : Number(m[9]);
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  // Date.UTC rolls 2027-02-30 over into March: a day the month does not have is refused.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return new Date(local - offset);
}

/** A value as it may appear in the one line: quoted, control characters escaped, not too long. */
function shown(raw: string): string {
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
}

/** `name@time,…` in `env[variable]`, by media type; a ConfigError naming the variable for a bad item. */
function schedule(env: NodeJS.ProcessEnv, variable: 'DEPRECATE' | 'SUNSET'): Map<VendorType, { name: string; at: Date }> {
  const items = (env[variable] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  const found = new Map<VendorType, { name: string; at: Date }>();
  for (const item of items) {
    const at = item.lastIndexOf('@');
    if (at === -1) throw new ConfigError(`${variable} lists name@time items (e.g. ${EXAMPLE}), got ${shown(item)}`);
    const name = item.slice(0, at).trim();
    const time = item.slice(at + 1).trim();
    const type = typeOfName(name);
    if (type === undefined) throw new ConfigError(`${variable} names ${shown(name)}, which is no representation; the names are ${Object.keys(MEDIA_TYPES).join(', ')}`);
    const instant = instantOf(time);
    if (instant === null) {
      throw new ConfigError(`${variable} gives ${name} the time ${shown(time)}; write an RFC 3339 date-time to the second with Z or an offset, e.g. ${EXAMPLE}`);
    }
    if (found.has(type)) throw new ConfigError(`${variable} names ${name} twice; give each representation one time`);
    found.set(type, { name, at: instant });
  }
  return found;
}

/** An instant as the one line shows it: RFC 3339 in UTC, to the second. */
function rfc3339(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * DEPRECATE and SUNSET, validated together: every sunset comes after a deprecation of the same
 * representation, and no contract is retired before the one it succeeds (its successor-version
 * link would point at a representation no longer offered).
 */
export function readLifecycle(env: NodeJS.ProcessEnv): Retirement[] {
  const deprecations = schedule(env, 'DEPRECATE');
  const sunsets = schedule(env, 'SUNSET');
  for (const [type, sunset] of sunsets) {
    const deprecation = deprecations.get(type);
    // RFC 8594 allows Sunset alone; a representation is announced as deprecated before it goes.
    if (!deprecation) throw new ConfigError(`SUNSET retires ${sunset.name} without deprecating it first; set DEPRECATE=${sunset.name}@<time> too, before ${rfc3339(sunset.at)}`);
    if (sunset.at.getTime() <= deprecation.at.getTime()) {
      throw new ConfigError(`SUNSET of ${sunset.name} (${rfc3339(sunset.at)}) must come after its DEPRECATE (${rfc3339(deprecation.at)})`);
    }
  }
  for (const [type, successor] of SUCCESSOR) {
    const own = deprecations.get(type);
    const next = sunsets.get(successor);
    if (own && next && next.at.getTime() < (sunsets.get(type)?.at.getTime() ?? Infinity)) {
      throw new ConfigError(`SUNSET retires ${next.name} (${rfc3339(next.at)}) before ${own.name}, whose successor it is; retire ${next.name} no earlier than ${own.name}`);
    }
  }
  return [...deprecations].map(([type, { name, at }]) => ({ type, name, deprecation: at, sunset: sunsets.get(type)?.at ?? null }));
}
