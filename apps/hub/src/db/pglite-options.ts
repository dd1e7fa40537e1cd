import { setFlagsFromString } from 'node:v8';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * Postgres settings for the embedded database. PGlite's wasm runtime zero-fills every
 * shared-memory segment it maps, so each megabyte of shared memory is resident for the
 * hub's whole life: the stock 128 MB of shared_buffers and 100 connections' worth of
 * lock and process tables alone made an idle hub hold ~155 MB more (bench/README.md,
 * "Footprint"). One hub is the only client (single-user mode), and the data files are
 * still cached by the operating system, so small buffers cost little.
 */
export const EMBEDDED_POSTGRES_SETTINGS: Readonly<Record<string, string>> = {
  shared_buffers: '4MB',
  wal_buffers: '512kB',
  max_connections: '3',
  autovacuum_worker_slots: '1',
  max_wal_senders: '0',
  max_replication_slots: '0',
};

/** `-c name=value` pairs, added to PGlite's own start parameters */
export function embeddedStartParams(): string[] {
  return Object.entries(EMBEDDED_POSTGRES_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
}

export function pgliteOptions(): PGliteOptions {
  return { startParams: [...PGlite.defaultStartParams, ...embeddedStartParams()] };
}

let baselineOnly = false;

/**
 * V8's optimizing tier compiles Postgres's hot functions while it starts and migrates:
 * ~25 MB of compiler memory the process keeps, and ~0.4 s of CPU at every start, for
 * no measurable gain per statement afterwards (its baseline tier runs the hub's
 * statements in about the same CPU time; bench/README.md, "Footprint"). Must run
 * before PGlite compiles its module; it applies to the whole process, which loads no
 * other wasm.
 */
export function useBaselineWasmCompiler(): void {
  if (baselineOnly) return;
  setFlagsFromString('--liftoff-only');
  baselineOnly = true;
}
