/**
 * The one thing schema verification needs from a database: run a query, get rows. Both PGlite
 * (`new PGlite()`) and a `pg` Client or Pool have this shape, so the same snapshot code reads the
 * embedded database and a real server.
 */
export interface Queryable {
  query(sql: string): Promise<{ rows: Array<Record<string, unknown>> }>;
}
