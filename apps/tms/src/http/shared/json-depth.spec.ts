import { nestsDeeperThan } from './json-depth';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
};

describe('nestsDeeperThan', () => {
  it('should count a top-level object or array as depth 1 and scalars as no depth', () => {
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan([], 1)).toBe(false);
    expect(nestsDeeperThan({ a: {} }, 1)).toBe(true);
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan(undefined, 0)).toBe(false);
  });

  it('should take nesting up to the limit and refuse one level more, in objects and arrays alike', () => {
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  });

  it('should find the deep branch among shallow siblings', () => {
    expect(nestsDeeperThan({ a: 1, b: [1, 2], c: { d: nested(40) } }, 32)).toBe(true);
  });

  it('should measure 100,000 levels without overflowing the stack', () => {
    expect(nestsDeeperThan(nested(100_000), 32)).toBe(true);
  });
});
