/**
 * The manifest's migrations contributions agree with the code: every command the code registers
 * is contributed (and the other way round), menus name contributed commands, the view ids match,
 * the connections schema cannot hold a password, and running is restricted in untrusted
 * workspaces.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../../../client/src/connections/connectionSettings';
import {
  MIGRATIONS_VIEW_ID,
  MigrationCommands,
  VIEW_CONTAINER_ID,
} from '../../../client/src/migrations/ids';

interface Manifest {
  capabilities: {
    untrustedWorkspaces: {
      supported: string;
      description: string;
      restrictedConfigurations: string[];
    };
  };
  contributes: {
    commands: Array<{ command: string; title: string; category: string; icon?: string }>;
    configuration: {
      properties: Record<
        string,
        { items: { additionalProperties: boolean; properties: Record<string, unknown> } }
      >;
    };
    viewsContainers: { activitybar: Array<{ id: string; icon: string }> };
    views: Record<string, Array<{ id: string }>>;
    viewsWelcome: Array<{ view: string; contents: string; when: string }>;
    menus: Record<string, Array<{ command: string; when?: string }>>;
  };
}

const root = join(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const ids = Object.values(MigrationCommands);
const registrations = readFileSync(join(root, 'client/src/migrations/commands/index.ts'), 'utf8');

describe('migrations in package.json', () => {
  it('contributes every migrations command in the pgmig category, and registers each', () => {
    const contributed = new Map(manifest.contributes.commands.map((c) => [c.command, c]));
    for (const id of ids) {
      expect(contributed.get(id)?.category, id).toBe('pgmig');
      const key = Object.entries(MigrationCommands).find(([, v]) => v === id)![0];
      expect(registrations, `${id} is in the command table`).toContain(`MigrationCommands.${key},`);
    }
  });

  it('has the palette titles the issue names', () => {
    const titles = manifest.contributes.commands
      .filter((c) => (ids as string[]).includes(c.command))
      .map((c) => c.title);
    for (const t of [
      'Run Migration Up',
      'Run Migration Down',
      'Run All Pending',
      'Redo',
      'Show Status',
      'New Migration',
      'Add Connection',
      'Select Connection',
    ])
      expect(titles).toContain(t);
  });

  it('menus only name contributed commands, and run actions need a trusted workspace', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(manifest.contributes.menus))
      for (const item of items) {
        expect(contributed.has(item.command), `${menu}: ${item.command}`).toBe(true);
        if (
          /runMigration|runAllPending|redo|resolve/.test(item.command) &&
          menu !== 'commandPalette'
        )
          expect(item.when, `${menu}: ${item.command}`).toContain('isWorkspaceTrusted');
      }
  });

  it('declares the view the code creates, with welcome content for both trust states', () => {
    expect(manifest.contributes.viewsContainers.activitybar.map((c) => c.id)).toContain(
      VIEW_CONTAINER_ID,
    );
    expect(manifest.contributes.views[VIEW_CONTAINER_ID].map((v) => v.id)).toEqual([
      MIGRATIONS_VIEW_ID,
    ]);
    const welcome = manifest.contributes.viewsWelcome.filter((w) => w.view === MIGRATIONS_VIEW_ID);
    expect(welcome.map((w) => w.when).sort()).toEqual([
      '!isWorkspaceTrusted',
      'isWorkspaceTrusted',
    ]);
    const trusted = welcome.find((w) => w.when === 'isWorkspaceTrusted')!.contents;
    expect(trusted).toContain(`(command:${MigrationCommands.addConnection})`);
    expect(trusted).toContain(`(command:${MigrationCommands.useEmbedded})`);
  });

  it('limits untrusted workspaces and ignores their connections', () => {
    const u = manifest.capabilities.untrustedWorkspaces;
    expect(u.supported).toBe('limited');
    expect(u.description.length).toBeGreaterThan(40);
    expect(u.restrictedConfigurations).toContain('pgmig.connections');
  });

  it('the connections schema has the fields the code reads, and no room for a password', () => {
    const items = manifest.contributes.configuration.properties['pgmig.connections'].items;
    expect(items.additionalProperties).toBe(false);
    expect(Object.keys(items.properties).sort()).toEqual(
      ['database', 'host', 'name', 'port', 'protected', 'sslmode', 'url', 'user'].sort(),
    );
    // the code keeps exactly those keys of an entry
    const full = Object.fromEntries(Object.keys(items.properties).map((k) => [k, valueFor(k)]));
    expect(Object.keys(parseConnections([full]).connections[0]).sort()).toEqual(
      Object.keys(items.properties).sort(),
    );
  });
});

function valueFor(key: string): unknown {
  switch (key) {
    case 'port':
      return 5432;
    case 'protected':
      return true;
    case 'sslmode':
      return 'require';
    case 'url':
      return 'postgres://app@db/app';
    default:
      return 'x';
  }
}
