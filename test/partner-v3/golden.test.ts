import path from 'node:path';
import { PARTNER_V3 } from '../../representations/media-types';
import { describeGoldens } from '../helpers/golden';
import { createFixtureApp, FIXTURE_KEY } from './fixture';

/** Every partner.v3 response of the frozen contract, as the fixture answers it. */
describeGoldens('the frozen partner.v3 contract', {
  type: PARTNER_V3,
  key: FIXTURE_KEY,
  dir: path.join(__dirname, 'golden'),
  fixture: createFixtureApp,
  cases: [
    ['link', '/api/links/abc123', 'link'],
    ['links-page', '/api/links?limit=2', 'link-page'],
    ['stats', '/api/links/abc123/stats', 'link-stats'],
    ['me', '/api/me', 'me'],
  ],
});
