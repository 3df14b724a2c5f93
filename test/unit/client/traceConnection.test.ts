import { describe, expect, it } from 'vitest';
import type { ConnectionChoice } from '../../../client/src/connections/connectionStore';
import { tracePlace, TracePlaceError } from '../../../client/src/migrations/traceConnection';

const embedded: ConnectionChoice = {
  id: 'embedded',
  kind: 'embedded',
  label: 'Embedded (scratch)',
  description: '',
  scratch: true,
  protected: false,
  wire: 'embedded',
};
const dev: ConnectionChoice = {
  id: 'named:dev',
  kind: 'named',
  label: 'dev',
  description: 'app@localhost:5432/app',
  scratch: false,
  protected: false,
  named: { name: 'dev', url: 'postgres://app@localhost:5432/app' },
  wire: { name: 'dev', url: 'postgres://app@localhost:5432/app' },
};

describe('where the editor traces', () => {
  it('uses the embedded database unless asked for the selected connection', () => {
    expect(tracePlace(undefined, dev)).toEqual({ label: 'the embedded database' });
    expect(tracePlace('embedded', dev)).toEqual({ label: 'the embedded database' });
    expect(tracePlace('selectedConnection', embedded)).toEqual({
      label: 'the embedded database',
    });
  });

  it('runs on a scratch database of the selected server when asked', () => {
    expect(tracePlace('selectedConnection', dev)).toEqual({
      connection: dev.wire,
      label: 'a scratch database on dev',
    });
    const env: ConnectionChoice = {
      ...dev,
      id: 'env',
      kind: 'env',
      label: 'DATABASE_URL (.env)',
      wire: undefined,
      url: 'postgres://app@localhost/app',
    };
    expect(tracePlace('selectedConnection', env).connection).toEqual({
      url: 'postgres://app@localhost/app',
    });
  });

  it('never on a protected connection', () => {
    expect(() => tracePlace('selectedConnection', { ...dev, protected: true })).toThrow(
      TracePlaceError,
    );
    expect(() => tracePlace('selectedConnection', { ...dev, protected: true })).toThrow(
      /"dev" is a protected connection/,
    );
  });
});
