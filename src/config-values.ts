/** Reading one configuration value: the error every bad value throws, and the integer reader. */

/** Thrown for a bad configuration value; main prints it and exits. */
export class ConfigError extends Error {}

/** The integer in `env[name]`, `fallback` when unset; a ConfigError naming the variable outside min..max. */
export function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
