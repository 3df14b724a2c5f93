/** A history table that exists but belongs to another tool (same name, other columns). */
export class HistoryConflict extends Error {}
