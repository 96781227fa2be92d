/**
 * Fixture servers (test/fixtures/servers/*): each folder has an expected.json with the exact findings
 * (CWE, file, line, primitive, name) and the CWEs that must be absent. Vulnerable and safe twins.
 */
import { describe, it } from 'node:test';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { assess } from '../../src/assess.js';
import { checkExpected, type Expected } from '../fixture-expectations.js';
import { fromRoot } from '../helpers.js';

const root = fromRoot('test', 'fixtures', 'servers');
const dirs = existsSync(root) ? readdirSync(root).filter((d) => existsSync(path.join(root, d, 'expected.json'))).sort().map((d) => path.join(root, d)) : [];
// the README's bundled example is held to its expected findings too
dirs.push(fromRoot('examples', 'vulnerable-server'));

describe('fixture servers', () => {
  for (const dir of dirs) {
    it(path.basename(dir), async () => {
      const exp = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const a = await assess(dir);
      checkExpected(a, exp);
    });
  }
});
