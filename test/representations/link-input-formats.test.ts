import fs from 'node:fs';
import path from 'node:path';
import { inBodyTerms, LINK_CREATE_FORMATS, LINK_INPUT_SCHEMA_FILES, LINK_UPDATE_FORMATS } from '../../representations/link-input/formats';
import { PARTNER_V3, PARTNER_V4 } from '../../representations/media-types';
import { SCHEMA_FILES } from '../../representations/registry';

const root = path.join(__dirname, '../../representations');

describe('the link body formats (representations/link-input/formats.ts)', () => {
  it('name every request-body schema in link-input/, with its content, and the registry compiles each', () => {
    const onDisk = fs.readdirSync(path.join(root, 'link-input')).filter((f) => f.endsWith('.schema.json')).map((f) => `link-input/${f}`);
    expect(Object.keys(LINK_INPUT_SCHEMA_FILES).sort()).toEqual(onDisk.sort());
    for (const [file, document] of Object.entries(LINK_INPUT_SCHEMA_FILES)) {
      expect(document).toEqual(JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')));
      expect(SCHEMA_FILES[file]).toBe(document);
    }
  });

  it('read both partner bodies into the same domain input, partner.v4 adding tags', () => {
    const body = { long_url: 'https://example.com/', id: 'abc', title: null, expires_at: 1_900_000_000 };
    const v3 = LINK_CREATE_FORMATS[PARTNER_V3]!.read(body);
    expect(LINK_CREATE_FORMATS[PARTNER_V4]!.read(body)).toEqual(v3);
    expect(LINK_CREATE_FORMATS[PARTNER_V4]!.read({ ...body, tags: ['a'] })).toEqual({ ...v3, tags: ['a'] });
    expect(LINK_UPDATE_FORMATS[PARTNER_V4]!.read({ tags: [] })).toEqual({ tags: [] });
  });

  it('rename a domain error into each body\'s own names: the partner bodies\' alike, first-party ones not at all', () => {
    const errors = [{ pointer: '/url', detail: 'url must be http(s)' }, { pointer: '/tags/1', detail: 'a tag must be text' }];
    for (const type of [PARTNER_V3, PARTNER_V4]) {
      expect(inBodyTerms(LINK_CREATE_FORMATS[type]!, errors)).toEqual([{ pointer: '/long_url', detail: 'long_url must be http(s)' }, errors[1]]);
    }
    expect(LINK_CREATE_FORMATS['application/json']!.pointers).toBeUndefined();
    expect(LINK_UPDATE_FORMATS['application/merge-patch+json']!.pointers).toBeUndefined();
  });
});
