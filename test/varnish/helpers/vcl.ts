import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './processes';

/** The shipped VCL. */
export const VCL_PATH = path.join(ROOT, 'deploy/varnish/default.vcl');

const BACKEND_PORT = /(\.port\s*=\s*")3000(";)/;
const NORMALISE_BLOCK = /^[ \t]*# BEGIN facet-normalise\n[\s\S]*?^[ \t]*# END facet-normalise\n/gm;

/**
 * Writes a copy of the shipped VCL into `dir` with the backend port replaced; with
 * `normalise: false` the marked normalisation blocks are cut out (the baseline a plain
 * `Vary`-honouring cache gives). Returns the absolute path of the copy.
 */
export function writeVcl(dir: string, backendPort: number, options: { normalise: boolean }): string {
  let vcl = fs.readFileSync(VCL_PATH, 'utf8');
  if (!BACKEND_PORT.test(vcl)) throw new Error(`${VCL_PATH} has no backend .port = "3000" to replace`);
  vcl = vcl.replace(BACKEND_PORT, `$1${backendPort}$2`);
  if (!options.normalise) {
    const blocks = vcl.match(NORMALISE_BLOCK)?.length ?? 0;
    if (blocks === 0) throw new Error(`${VCL_PATH} has no "# BEGIN facet-normalise" … "# END facet-normalise" block`);
    vcl = vcl.replace(NORMALISE_BLOCK, '');
  }
  const file = path.join(dir, options.normalise ? 'normalising.vcl' : 'plain.vcl');
  fs.writeFileSync(file, vcl);
  return file;
}
