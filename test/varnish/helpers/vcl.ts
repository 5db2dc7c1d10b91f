import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

/** The shipped VCL. */
export const VCL_PATH = path.join(ROOT, 'deploy/varnish/default.vcl');

const NORMALISE_BLOCK = /^[ \t]*# BEGIN facet-normalise\n[\s\S]*?^[ \t]*# END facet-normalise\n/gm;
const BACKENDS_BLOCK = /(^[ \t]*# BEGIN facet-backends\n)([\s\S]*?)(^[ \t]*# END facet-backends\n)/m;
const MEMBERS_BLOCK = /(^[ \t]*# BEGIN facet-members\n)([\s\S]*?)(^[ \t]*# END facet-members\n)/m;
const BACKEND = /^backend (facet_\w+) \{\n[\s\S]*?^\}\n/m;

/** The backend name the VCL gives the instance on `port` (what `beresp.backend.name` reports). */
export const backendName = (port: number): string => `facet_${port}`;

/**
 * Writes a copy of the shipped VCL into `dir` with one backend per port in `backendPorts` (each
 * a copy of the first shipped backend, probe included) as the directors' members; with
 * `normalise: false` the marked normalisation blocks are cut out (the baseline a plain
 * `Vary`-honouring cache gives). `corsOrigins` (the service's CORS_ORIGINS) fills the marked
 * origin list by deploy/varnish/set-cors-origins.sh, as deploy/README.md says to. Returns the absolute path of the copy.
 */
export function writeVcl(dir: string, backendPorts: readonly number[], options: { normalise: boolean; corsOrigins?: readonly string[] }): string {
  let vcl = fs.readFileSync(VCL_PATH, 'utf8');
  const backends = BACKENDS_BLOCK.exec(vcl)?.[2];
  const template = backends === undefined ? undefined : BACKEND.exec(backends);
  if (!template || !MEMBERS_BLOCK.test(vcl)) {
    throw new Error(`${VCL_PATH} needs a "# BEGIN facet-backends" block holding a backend facet_… and a "# BEGIN facet-members" block`);
  }
  const [block, name] = template as unknown as [string, string];
  if (!/\.port = "\d+";/.test(block)) throw new Error(`${VCL_PATH}: backend ${name} has no .port = "…"`);
  const declared = backendPorts.map((port) => block.replace(name, backendName(port)).replace(/\.port = "\d+";/, `.port = "${port}";`));
  const members = backendPorts.flatMap((port) => [
    `    facet_rr.add_backend(${backendName(port)});\n`,
    `    facet_by_code.add_backend(${backendName(port)});\n`,
  ]);
  vcl = vcl.replace(BACKENDS_BLOCK, (_all, begin: string, _old, end: string) => begin + declared.join('\n') + end);
  vcl = vcl.replace(MEMBERS_BLOCK, (_all, begin: string, _old, end: string) => begin + members.join('') + end);
  vcl = withCorsOrigins(vcl, options.corsOrigins ?? [], dir);
  if (!options.normalise) {
    const blocks = vcl.match(NORMALISE_BLOCK)?.length ?? 0;
    if (blocks === 0) throw new Error(`${VCL_PATH} has no "# BEGIN facet-normalise" … "# END facet-normalise" block`);
    vcl = vcl.replace(NORMALISE_BLOCK, '');
  }
  const file = path.join(dir, options.normalise ? 'normalising.vcl' : 'plain.vcl');
  fs.writeFileSync(file, vcl);
  return file;
}

/** deploy/varnish/set-cors-origins.sh: what deploy/README.md runs to write the origin list from CORS_ORIGINS. */
export const SET_CORS_ORIGINS = path.join(ROOT, 'deploy/varnish/set-cors-origins.sh');

/** The VCL with its facet-cors-origins block keeping exactly these origins, written by the shipped script. */
export function withCorsOrigins(vcl: string, origins: readonly string[], dir: string): string {
  const input = path.join(dir, 'before-cors-origins.vcl');
  fs.writeFileSync(input, vcl);
  return execFileSync('sh', [SET_CORS_ORIGINS, input, origins.join(',')], { encoding: 'utf8' });
}
