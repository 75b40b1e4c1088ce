import { DomainError } from '@tms/core';
import { NotFoundException } from '@nestjs/common';
import { safeNext } from '../auth/login.page.controller';
import { CsrfTokens } from './csrf';
import { toProblem } from '../errors/problem';
import { isPlainText } from './validation';

describe('CsrfTokens', () => {
  const tokens = new CsrfTokens(Buffer.alloc(32, 7));

  it('should verify the token made for the same secret only', () => {
    const secret = CsrfTokens.newSecret();
    expect(tokens.verify(secret, tokens.tokenFor(secret))).toBe(true);
    expect(tokens.verify(CsrfTokens.newSecret(), tokens.tokenFor(secret))).toBe(false);
    expect(tokens.verify(secret, undefined)).toBe(false);
    expect(tokens.verify(undefined, tokens.tokenFor(secret))).toBe(false);
    expect(new CsrfTokens(Buffer.alloc(32, 8)).verify(secret, tokens.tokenFor(secret))).toBe(false);
  });
});

describe('safeNext', () => {
  it.each([
    ['/admin/people', '/admin/people'],
    ['/admin/people?x=1', '/admin/people?x=1'],
    ['//evil.example.com', '/'],
    ['/\\evil.example.com', '/'],
    ['https://evil.example.com', '/'],
    ['/login', '/'],
    [undefined, '/'],
    [['/a'], '/'],
  ])('should map %p to %p', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe('toProblem', () => {
  it('should map domain codes to statuses and keep field problems', () => {
    const problem = toProblem(DomainError.invalidField('name', 'bad'));
    expect(problem).toMatchObject({
      status: 400,
      code: 'validation_failed',
      fields: [{ field: 'name', message: 'Name: bad. Enter a name of up to 200 characters.' }],
      expected: true,
    });
    expect(toProblem(DomainError.notFound('User')).status).toBe(404);
    expect(toProblem(new NotFoundException()).status).toBe(404);
  });

  it('should hide unknown errors behind a generic 500', () => {
    const problem = toProblem(new Error('password=hunter2 at db.internal:5432'));
    expect(problem).toMatchObject({ status: 500, expected: false });
    expect(problem.detail).not.toContain('hunter2');
  });

  it('should turn body-parser errors into 4xx', () => {
    expect(
      toProblem(Object.assign(new Error('x'), { status: 400, expose: true, type: 'entity.parse.failed' })).detail,
    ).toContain('JSON');
    expect(toProblem(Object.assign(new Error('x'), { status: 413, expose: true })).status).toBe(413);
  });
});

describe('isPlainText', () => {
  it.each(['Zürich', '東京', 'O’Brien', '👩‍💻 team'])('should accept %p', (value) =>
    expect(isPlainText(value)).toBe(true),
  );
  it.each(['a\u0000b', 'a\nb', 'a\u202eb', 'a\ud800', 'a\u200fb', 5])('should refuse %p', (value) =>
    expect(isPlainText(value)).toBe(false),
  );
});
