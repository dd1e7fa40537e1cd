import { describe, expect, it } from 'vitest';
import { isStorageUnavailable } from './storage-errors.js';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });
/** drizzle wraps the driver's error as its cause */
const wrapped = (cause: Error) => new Error('Failed query: select 1', { cause });

describe('isStorageUnavailable', () => {
  it.each([
    ['refused connection', coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['reset connection', coded('read ECONNRESET', 'ECONNRESET')],
    ['pg: connection terminated', new Error('Connection terminated unexpectedly')],
    ['pg pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      'admin shutdown (57P01)',
      coded('terminating connection due to administrator command', '57P01'),
    ],
    ['connection failure (08006)', coded('connection failure', '08006')],
    ['PGlite closed', new Error('PGlite is closed')],
    ['wrapped by drizzle', wrapped(coded('connect ECONNREFUSED', 'ECONNREFUSED'))],
  ])('%s is the storage being away', (_, error) => {
    expect(isStorageUnavailable(error)).toBe(true);
  });

  it.each([
    ['unique violation', wrapped(coded('duplicate key value', '23505'))],
    ['a bug', new TypeError('cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
  ])('%s is not', (_, error) => {
    expect(isStorageUnavailable(error)).toBe(false);
  });
});
