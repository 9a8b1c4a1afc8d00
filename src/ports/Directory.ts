import type { DirectorySnapshot } from '../domain/directory.js';
import type { NamingPolicy } from '../domain/policy.js';

/** How many searches an observation makes: the steps of its progress bar. */
export const OBSERVE_SEARCHES = 5;

/** Attribute values to write; strings are sent as UTF-8. */
export type AttributeValues = Record<string, string | string[]>;

export interface Modification {
  operation: 'add' | 'delete' | 'replace';
  attribute: string;
  values: string[];
}

/** A raw entry read back: attribute names lowercased, values as strings. */
export interface RawEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

/**
 * The narrow interface the app needs from a directory. Reads see the writes of the same run because every
 * connection goes to the same controller. Implementations throw DirectoryError for server answers.
 */
export interface Directory {
  /** The DN the tool binds as: the actor in every audit record. */
  readonly actor: string;
  /** Where it is connected (URL), for reports. */
  readonly source: string;
  /**
   * Paged searches over the managed subtrees and one domain-wide search for taken names
   * (`OBSERVE_SEARCHES` of them; `onSearchDone` is called as each one ends, for progress).
   */
  observe(policy: NamingPolicy, now: string, onSearchDone?: () => void): Promise<DirectorySnapshot>;
  /** Reads one entry, or null when it does not exist. */
  read(dn: string, attributes: string[]): Promise<RawEntry | null>;
  /** A paged subtree search (values escaped by the caller's filter builder). */
  search(base: string, filter: string, attributes: string[]): Promise<RawEntry[]>;
  /** One add. `password`, when given, goes as `unicodePwd` in the same operation (atomic). */
  add(dn: string, attributes: AttributeValues, password?: string): Promise<void>;
  modify(dn: string, modifications: Modification[]): Promise<void>;
  /** Moves (renames) an entry to `newDn`, which may lie in another container; group memberships follow it. */
  move(dn: string, newDn: string): Promise<void>;
  /** Replaces `unicodePwd`, optionally with other attributes in the same modify. */
  setPassword(dn: string, password: string, alsoReplace?: AttributeValues): Promise<void>;
  /** Tries a simple bind as `dnOrUpn` on a fresh connection; resolves to the AD sub-code on failure. */
  tryBind(dnOrUpn: string, password: string): Promise<{ ok: true } | { ok: false; resultCode: number; adCode?: string }>;
  close(): Promise<void>;
}
