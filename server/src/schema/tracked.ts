/**
 * Maps of the schema model that can tell which of their entries a piece of work read and wrote.
 * The language server's lint keeps, per statement, the entries its replay and its rules read and
 * the entries its replay left behind; after an edit, a statement none of whose entries changed
 * gets its findings and its effect on the model back without being linted or replayed again.
 *
 * Entries are compared by identity: the model copies an object before it changes it (tables
 * within a statement, everything else always), so an entry that is the same object holds the same
 * facts.
 */

/** An entry a statement removed. */
export const DELETED: unique symbol = Symbol('deleted');
export type Written = unknown;

/** Which entries of which maps some work read and wrote. */
export class Recorder {
  /** Keys read per map; `true`: the whole map was read (iterated or counted). */
  readonly reads = new Map<TrackedMap<unknown>, Set<string> | true>();
  /** Maps written, with each key's value before the first write. */
  readonly writes = new Map<TrackedMap<unknown>, Map<string, Written>>();

  read(map: TrackedMap<unknown>, key: string): void {
    const keys = this.reads.get(map);
    if (keys === true) return;
    if (keys) keys.add(key);
    else this.reads.set(map, new Set([key]));
  }

  readAll(map: TrackedMap<unknown>): void {
    this.reads.set(map, true);
  }

  clear(): void {
    if (this.reads.size > 0) this.reads.clear();
    if (this.writes.size > 0) this.writes.clear();
  }

  wrote(map: TrackedMap<unknown>, key: string, before: Written): void {
    let keys = this.writes.get(map);
    if (!keys) this.writes.set(map, (keys = new Map()));
    if (!keys.has(key)) keys.set(key, before);
  }
}

let current: Recorder | undefined;

/**
 * Sends reads and writes of tracked maps to `recorder` (none: undefined) from now on; returns
 * the recorder that was active, to be put back.
 */
export function record(recorder: Recorder | undefined): Recorder | undefined {
  const outer = current;
  current = recorder;
  return outer;
}

const mapGet = Map.prototype.get;
const mapHas = Map.prototype.has;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;

/**
 * A Map with string keys whose reads and writes go to the active Recorder, if any. Maps are told
 * apart across copies of the model by name (`tables`, `indexes`…).
 */
export class TrackedMap<V> extends Map<string, V> {
  constructor(readonly label: string) {
    super();
  }

  override get(key: string): V | undefined {
    if (current) current.read(this as TrackedMap<unknown>, key);
    return mapGet.call(this, key) as V | undefined;
  }

  override has(key: string): boolean {
    if (current) current.read(this as TrackedMap<unknown>, key);
    return mapHas.call(this, key);
  }

  override set(key: string, value: V): this {
    if (current) current.wrote(this as TrackedMap<unknown>, key, this.peek(key));
    mapSet.call(this, key, value);
    return this;
  }

  override delete(key: string): boolean {
    if (current) current.wrote(this as TrackedMap<unknown>, key, this.peek(key));
    return mapDelete.call(this, key);
  }

  override clear(): void {
    if (current)
      for (const k of super.keys()) current.wrote(this as TrackedMap<unknown>, k, this.peek(k));
    super.clear();
  }

  override get size(): number {
    if (current) current.readAll(this as TrackedMap<unknown>);
    return super.size;
  }

  override keys(): MapIterator<string> {
    if (current) current.readAll(this as TrackedMap<unknown>);
    return super.keys();
  }

  override values(): MapIterator<V> {
    if (current) current.readAll(this as TrackedMap<unknown>);
    return super.values();
  }

  override entries(): MapIterator<[string, V]> {
    if (current) current.readAll(this as TrackedMap<unknown>);
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(f: (value: V, key: string, map: Map<string, V>) => void, self?: unknown): void {
    if (current) current.readAll(this as TrackedMap<unknown>);
    super.forEach(f, self);
  }

  /** The value of `key` as stored, DELETED when absent, without recording a read. */
  peek(key: string): Written {
    return mapHas.call(this, key) ? mapGet.call(this, key) : DELETED;
  }

  /** Stores a value (DELETED removes the key) without recording a write. */
  put(key: string, value: Written): void {
    if (value === DELETED) mapDelete.call(this, key);
    else mapSet.call(this, key, value);
  }
}

/**
 * A TrackedMap that also knows its entries by group (the indexes of each table): scans for one
 * group cost what the group holds, not what the whole map holds. Reading a group counts as
 * reading the whole map.
 */
export class GroupedMap<V> extends TrackedMap<V> {
  private readonly groups = new Map<string, Set<string>>();

  constructor(
    label: string,
    private readonly groupOf: (value: V) => string,
  ) {
    super(label);
  }

  override set(key: string, value: V): this {
    this.regroup(key, value);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.regroup(key, DELETED);
    return super.delete(key);
  }

  override clear(): void {
    super.clear();
    this.groups.clear();
  }

  override put(key: string, value: Written): void {
    this.regroup(key, value);
    super.put(key, value);
  }

  /** The entries of a group, as a list the caller may change the map under. */
  group(name: string): [string, V][] {
    if (current) current.readAll(this as TrackedMap<unknown>);
    const keys = this.groups.get(name);
    if (!keys) return [];
    const out: [string, V][] = [];
    for (const k of keys) out.push([k, mapGet.call(this, k) as V]);
    return out;
  }

  /** Moves `key` to the group of its new value; one that stays in its group keeps its place. */
  private regroup(key: string, value: Written): void {
    const old = this.peek(key);
    const from = old === DELETED ? undefined : this.groupOf(old as V);
    const to = value === DELETED ? undefined : this.groupOf(value as V);
    if (from === to) return;
    if (from !== undefined) this.groups.get(from)?.delete(key);
    if (to !== undefined) {
      let keys = this.groups.get(to);
      if (!keys) this.groups.set(to, (keys = new Set()));
      keys.add(key);
    }
  }
}
