import type { Server } from 'node:http';
import { readFixtures } from '../fixtures';
import type { Fixtures } from '../fixtures';

/** Entry of a baseline process: builds its server from the fixture file in argv, listens on $PORT, says so. */
export function serveBaseline(build: (fixtures: Fixtures) => Server | Promise<Server>): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node <baseline>.js <fixtures.json> (with PORT set)');
  // Exit on SIGTERM rather than be killed by it, so that `node --cpu-prof` writes its profile.
  process.once('SIGTERM', () => process.exit(0));
  void Promise.resolve(build(readFixtures(file))).then((server) => {
    server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('baseline listening\n'));
  });
}
