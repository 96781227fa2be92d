import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface PackageIdentity {
  name?: string;
  version?: string;
}

const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;

/** Pure: name and version from package.json text; `{}` when unparsable. */
export function parsePackageIdentity(text: string): PackageIdentity {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof v !== 'object' || v === null) return {};
  const o = v as Record<string, unknown>;
  const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined);
  return { name: str(o.name), version: str(o.version) };
}

/** Name and version from `<dir>/package.json`; `{}` when absent, too large or invalid. */
export async function readPackageIdentity(dir: string): Promise<PackageIdentity> {
  const file = path.join(dir, 'package.json');
  try {
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (!st || !st.isFile() || st.size > MAX_PACKAGE_JSON_BYTES) return {};
    return parsePackageIdentity(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
