/**
 * Work that runs outside requests. `start` begins it (and may do a first
 * round before it resolves); `stop` ends it, finishing what must not be
 * lost, and leaves no timer behind.
 */
export interface Job {
  readonly name: string;
  /** When it runs, in words, for the list and the logs. */
  readonly schedule: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
