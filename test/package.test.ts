/** What the npm package ships: every path in package.json `files` exists, with the licence and MITRE's notices. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fromRoot } from './helpers.js';

describe('package contents', () => {
  const pkg = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { license: string; files: string[] };

  it('every path in `files` exists', () => {
    for (const f of pkg.files) assert.ok(existsSync(fromRoot(f)), `${f} is listed in package.json files but missing`);
  });

  it('ships the Apache-2.0 licence and a NOTICE that points to MITRE’s terms for the knowledge base', () => {
    assert.equal(pkg.license, 'Apache-2.0');
    assert.match(readFileSync(fromRoot('LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004/);
    assert.match(readFileSync(fromRoot('NOTICE'), 'utf8'), /data\/kb\/NOTICE/);
    const kbNotice = readFileSync(fromRoot('data', 'kb', 'NOTICE'), 'utf8');
    assert.match(kbNotice, /Copyright © 2006–2024, The MITRE Corporation/);
    assert.match(kbNotice, /CAPEC/);
  });
});
