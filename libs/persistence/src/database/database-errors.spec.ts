import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-errors';

/** Errors shaped as node-postgres, pg-pool and Node's net module throw them. */
const withCode = (code: string, message = `error ${code}`) => Object.assign(new Error(message), { code });
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['an unresolvable host', withCode('ENOTFOUND')],
    ['an admin shutdown (57P01) under a query', failedQuery(withCode('57P01'))],
    ['a crash shutdown (57P02)', withCode('57P02')],
    ['a server starting up (57P03)', withCode('57P03', 'the database system is starting up')],
    ['a connection exception (08006)', failedQuery(withCode('08006'))],
    ['a connection that never opened (08001)', withCode('08001')],
    ['too many connections (53300)', withCode('53300')],
    ['a connection ended under a query', failedQuery(new Error('Connection terminated unexpectedly'))],
    ['a pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a connect timeout', new Error('Connection terminated due to connection timeout')],
    ['a client broken earlier', new Error('Client has encountered a connection error and is not queryable')],
    [
      'every address of a host refused',
      new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed'),
    ],
    ['a cause further down', new Error('could not load', { cause: withCode('ECONNREFUSED') })],
  ])('should say unavailable for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', failedQuery(withCode('23505'))],
    ['a data exception', failedQuery(withCode('22P02'))],
    ['a deadlock', failedQuery(withCode('40P01'))],
    ['a syntax error (a bug of ours)', failedQuery(withCode('42601'))],
    ['a plain error', new Error('something else')],
    ['a non-error', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('should not say unavailable for %s', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it('should stop on an error that is its own cause', () => {
    const error = new Error('loop') as Error & { cause?: unknown };
    error.cause = error;
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
