import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', 'representations');
const LOCK = path.join(ROOT, 'partner-v4.lock.json');

/** Every partner.v4 schema file: a frozen contract, response or request. */
function partnerSchemas(): string[] {
  return fs.readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
    .filter((file) => /partner-v4[^/]*\.schema\.json$/.test(file))
    .map((file) => file.split(path.sep).join('/'))
    .sort();
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(path.join(ROOT, file))).digest('hex');

describe('the partner.v4 schema lock', () => {
  const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8')) as { files: Record<string, string> };

  it('lists exactly the partner.v4 schema files there are', () => {
    expect(Object.keys(lock.files).sort()).toEqual(partnerSchemas());
  });

  it.each(partnerSchemas())('finds %s unchanged since it was frozen', (file) => {
    if (lock.files[file] !== sha256(file)) {
      throw new Error(
        `representations/${file} changed, but partner.v4 is a frozen contract: partners parse these exact fields ` +
        'and types. Revert the change. A new contract needs a new media type (e.g. application/vnd.example.partner.v5+json) ' +
        'with its own schemas, registered beside partner.v4 — never an edit of v4.',
      );
    }
    expect(lock.files[file]).toBe(sha256(file));
  });
});
