/** The registry of runner formats. */
import type { FormatHandler } from '../format';
import type { FormatId } from '../model';
import { dbmate } from './dbmate';
import { goose } from './goose';
import { plain } from './plain';

export const FORMATS: FormatHandler[] = [plain, goose, dbmate];

/** Formats recognisable from the content of one file, most specific markers first. */
export const SINGLE_FILE_ORDER: FormatHandler[] = [goose, dbmate, plain];

export function formatById(id: FormatId): FormatHandler {
  const f = FORMATS.find((h) => h.id === id);
  if (!f) throw new Error(`pgmig: unknown migration format '${id}'`);
  return f;
}
