import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A hash of every file under `dir` (path and bytes, in path order): the shapers, the helpers they
 * call and the schemas. Run from ts-jest it reads representations/*.ts; from dist/ the compiled
 * representations/*.js and *.json, so every instance of one build agrees and any edit changes it.
 */
export function fingerprintSources(dir: string): string {
  const hash = createHash('sha256');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(path.sep).join('/'))
    .sort();
  for (const file of files) {
    const full = path.join(dir, file);
    if (!fs.statSync(full).isFile()) continue;
    hash.update(file).update('\0').update(fs.readFileSync(full)).update('\0');
  }
  return hash.digest('base64url');
}
