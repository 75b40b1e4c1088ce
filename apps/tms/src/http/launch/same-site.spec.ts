import { sameSite } from './launch.page.controller';

describe('sameSite', () => {
  it.each([
    ['https://tms.example.com', 'https://lab.example.com/login', true],
    ['https://tms.example.co.uk', 'https://lab.example.co.uk/login', true],
    ['https://a.co.uk', 'https://b.co.uk/login', false],
    ['https://tms.example.com', 'https://tool.example.org/login', false],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:4000/login', true],
    ['http://127.0.0.1:3000', 'http://127.0.0.2:4000/login', false],
    ['https://tms.example.com', 'http://lab.example.com/login', false],
  ])('should say %s and %s are same-site: %s', (a, b, expected) => {
    expect(sameSite(a, b)).toBe(expected);
  });
});
