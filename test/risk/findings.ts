import type { Finding } from '../../src/model.js';

const loc = { file: 'src/server.ts', line: 1, column: 1 };

/** A minimal finding for risk tests. */
export function finding(id: string, cwe: number, extra: Partial<Finding> = {}): Finding {
  return {
    id,
    ruleId: `rule-${cwe}`,
    title: `finding ${id}`,
    cwe,
    severity: 'high',
    confidence: 'high',
    message: '',
    fix: '',
    location: loc,
    snippet: '',
    primitive: { kind: 'tool', name: 't' },
    tags: [],
    ...extra,
  };
}

export const srcLoc = loc;
