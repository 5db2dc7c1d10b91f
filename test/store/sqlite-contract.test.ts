import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStore } from '../../src/store/sqlite/open';
import { describeStore } from './describe-store';

// Each test gets a database file in a temp dir of its own; a second store on the same file stands
// in for a second process.
describeStore('SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-contract-'));
  const store = openSqliteStore(dir);
  return {
    store,
    async openAnother() {
      const another = openSqliteStore(dir);
      return { store: another, close: () => another.close() };
    },
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
