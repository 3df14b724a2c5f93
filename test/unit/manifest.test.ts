/**
 * One name everywhere: a rule's id is its file name, its docs page, its test file, its key in the
 * config schema and its diagnostic code.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../server/src/rules';
import { FORMAT_IDS } from '../../server/src/folder/model';

const root = join(__dirname, '../..');
const ids = RULES.map((r) => r.id).sort();

describe('rule registry', () => {
  it('registers every rule file exactly once, under its file name', () => {
    const files = readdirSync(join(root, 'server/src/rules'))
      .filter((f) => f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(ids).toEqual(files);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a docs page for every rule, and no page without a rule', () => {
    const pages = readdirSync(join(root, 'docs/rules'))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => f.replace(/\.md$/, ''))
      .sort();
    expect(pages).toEqual(ids);
    for (const id of ids) {
      const text = readFileSync(join(root, 'docs/rules', `${id}.md`), 'utf8');
      expect(text.startsWith(`# ${id}`), `${id}.md starts with its id`).toBe(true);
    }
  });

  it('has a summary for every rule', () => {
    for (const r of RULES) expect(r.summary.length, r.id).toBeGreaterThan(20);
  });

  it('the config schema lists exactly the registry and the formats', () => {
    const schema = JSON.parse(readFileSync(join(root, 'schemas/pgmig.schema.json'), 'utf8'));
    expect([...schema.properties.rules.propertyNames.enum].sort()).toEqual(ids);
    expect(schema.properties.format.enum).toEqual([...FORMAT_IDS]);
  });

  it('has unit tests for every rule', () => {
    for (const id of ids) {
      expect(existsSync(join(root, 'test/unit/rules', `${id}.test.ts`)), id).toBe(true);
    }
  });
});
