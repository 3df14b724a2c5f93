/** What a run will execute, per migration: for dry runs and the confirmation of a DOWN. */
import type { Migration } from '../folder/model';
import { runsInOneTransaction, segmentsOf } from './execute';
import type { Direction } from './types';

export interface PlannedMigration {
  version: string;
  name: string;
  direction: Direction;
  file?: string;
  transactional: boolean;
  statements: string[];
}

export function plannedSteps(
  steps: Array<{ m: Migration | undefined }>,
  direction: Direction,
  pgMajor: number,
): PlannedMigration[] {
  return steps
    .filter((e): e is { m: Migration } => !!e.m)
    .map(({ m }) => ({
      version: m.version,
      name: m.name,
      direction,
      file: m.files[0]?.path,
      transactional: runsInOneTransaction(m, direction, pgMajor),
      statements: segmentsOf(m, direction, pgMajor).flatMap((g) =>
        g.parts.map((p) => p.chunk.text),
      ),
    }));
}
