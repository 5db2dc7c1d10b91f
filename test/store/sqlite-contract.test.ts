import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../../src/domain/repository';
import { createSqliteStore } from '../../src/store/create-store';
import { openSqliteStore } from '../../src/store/sqlite/open';
import { describeStore } from './describe-store';
import type { OpenedStore } from './describe-store';

// Each test gets a database file in a temp dir of its own; a second store on the same file stands
// in for a second process.
const opener = (open: (dir: string) => Store) => async (): Promise<OpenedStore> => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facet-contract-'));
  const store = open(dir);
  return {
    store,
    async openAnother() {
      const another = open(dir);
      return { store: another, close: () => another.close() };
    },
    async close() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
};

describeStore('SQLite', opener(openSqliteStore));
// What the service runs: the same store behind its hot-read caches, which must keep the contract too.
describeStore('SQLite behind the hot-read cache', opener(createSqliteStore));
