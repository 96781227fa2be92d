/**
 * Regenerate data/kb/kb.json and data/kb/NOTICE from MITRE's data.
 *
 *   npx tsc -p tsconfig.json && node build/scripts/build-kb.js [--cwe FILE] [--capec FILE] [--out DIR] [--overlay FILE]
 *
 * Defaults: --cwe node_modules/cwe-sdk/raw/cwe-archive.xml (CWE 4.15),
 *           --capec ../shared/data/mitre/capec-3.9-stix.json (CAPEC 3.9, STIX 2.1),
 *           --out data/kb, --overlay data/kb/overlay.json.
 * (`mcp-risk kb build --cwe FILE --capec FILE` does the same through the CLI.)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kbBuild } from '../src/kb/commands.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const cwe = arg('cwe') ?? path.join(root, 'node_modules', 'cwe-sdk', 'raw', 'cwe-archive.xml');
const capec = arg('capec') ?? path.resolve(root, '..', 'shared', 'data', 'mitre', 'capec-3.9-stix.json');
const out = arg('out') ?? path.join(root, 'data', 'kb');
const overlay = arg('overlay');

kbBuild({ cwe, capec, out, overlay })
  .then((r) => {
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), r.kbFile)} (CWE ${r.versions.cwe}: ${r.counts.cwe - r.counts.cweOverlay} weaknesses + ${r.counts.cweOverlay} overlay, ` +
        `CAPEC ${r.versions.capec}: ${r.counts.capec} attack patterns; content ${r.contentHash.slice(0, 12)}) and NOTICE\n`,
    );
  })
  .catch((e: unknown) => {
    process.stderr.write(`build-kb: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
