/** A step of undoing an ALTER TABLE: one action of a merged statement, or a statement of its own. */
import type { DownItem } from './types';

export interface Step {
  /** An ALTER TABLE action (`DROP COLUMN a`), merged with its neighbours into one statement. */
  action?: string;
  item?: DownItem;
}
