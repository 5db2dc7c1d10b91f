import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import packageJson from '../../package.json';

const ROOT = path.join(__dirname, '..', '..');

/** Every file under `dir` with its modification time: what a build wrote. */
function mtimes(dir: string): Record<string, number> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter((file) => fs.statSync(file).isFile())
    .map((file) => [file, fs.statSync(file).mtimeMs]));
}

// The project's own `build` and `keys` scripts and tsconfig files, on a one-file source tree: the
// test is about when the scripts compile, not about what (and stays fast on a loaded machine).
describe('npm run keys', () => {
  let project: string;
  const keysSource = () => path.join(project, 'src', 'cli', 'keys.ts');
  const keys = (...args: string[]) => spawnSync('npm', ['run', 'keys', '--', ...args], { cwd: project, encoding: 'utf8' });
  beforeAll(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-keys-build-'));
    const { build, keys: keysScript } = packageJson.scripts;
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'keys-build', private: true, scripts: { build, keys: keysScript } }));
    for (const file of ['tsconfig.json', 'tsconfig.build.json']) fs.copyFileSync(path.join(ROOT, file), path.join(project, file));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    fs.mkdirSync(path.dirname(keysSource()), { recursive: true });
    fs.writeFileSync(keysSource(), "console.log('keys ran:', process.argv.slice(2).join(' '));\n");
  });
  afterAll(() => { fs.rmSync(project, { recursive: true, force: true }); });

  it('builds when dist/ is missing, then runs the command', () => {
    const run = keys('list');
    expect(run.stdout).toContain('keys ran: list');
    expect(run.status).toBe(0);
  }, 60_000);

  it('does not compile again when no source changed: no file in dist/ is written', () => {
    const before = mtimes(path.join(project, 'dist'));
    const run = keys('list');
    expect(run.stdout).toContain('keys ran: list');
    expect(mtimes(path.join(project, 'dist'))).toEqual(before);
  }, 60_000);

  it('compiles again when a source changed', () => {
    fs.writeFileSync(keysSource(), "console.log('keys ran, rebuilt:', process.argv.slice(2).join(' '));\n");
    expect(keys('list').stdout).toContain('keys ran, rebuilt: list');
  }, 60_000);

  it('compiles again when dist/ was removed', () => {
    fs.rmSync(path.join(project, 'dist'), { recursive: true, force: true });
    expect(keys('list').stdout).toContain('keys ran, rebuilt: list');
  }, 60_000);
});
