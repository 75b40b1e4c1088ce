import {
  formatCustomParameters,
  lti1p1CustomParameterName,
  mergeCustomParameters,
  parseCustomParameters,
} from './custom-parameters';

describe('parseCustomParameters', () => {
  it('should read name=value lines in order, normalizing the custom_ prefix and keeping values verbatim', () => {
    const parsed = parseCustomParameters(
      'custom_value_1=some value with 1\n\nlevel=$User.id\r\nurl=https://x.test/?a=b=c\nempty=',
    );
    expect(parsed).toEqual({
      ok: true,
      parameters: [
        { name: 'value_1', value: 'some value with 1' },
        { name: 'level', value: '$User.id' },
        { name: 'url', value: 'https://x.test/?a=b=c' },
        { name: 'empty', value: '' },
      ],
    });
  });

  it('should name the line of each problem and return no parameters', () => {
    const parsed = parseCustomParameters(
      ['ok=1', 'no equals sign', '=value', 'custom_=x', 'Bad Name=x', 'ok=2'].join('\n'),
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 3, 4, 5, 6]);
    expect(parsed.problems[0].message).toContain('Line 2');
    expect(parsed.problems[4].message).toContain('already set on line 1');
    expect(parsed).not.toHaveProperty('parameters');
  });

  it('should treat custom_x and x as the same name', () => {
    const parsed = parseCustomParameters('custom_topic=a\ntopic=b');
    expect(parsed.ok).toBe(false);
  });

  it('should accept any visible name, as the LTI 1.1 certification requires, when it is written without spaces', () => {
    const parsed = parseCustomParameters('Complex!@#$^*(){}[]KEY=Complex!@#$^*;(){}[]½Value\nBad\tName=x');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual([{ line: 2, message: expect.stringContaining('not a valid name') }]);
    const ok = parseCustomParameters('Complex!@#$^*(){}[]KEY=Complex!@#$^*;(){}[]½Value');
    expect(ok).toEqual({
      ok: true,
      parameters: [{ name: 'Complex!@#$^*(){}[]KEY', value: 'Complex!@#$^*;(){}[]½Value' }],
    });
  });

  it('should refuse two names that LTI 1.1 would send under one parameter name', () => {
    const parsed = parseCustomParameters('Chapter-One=a\nchapter_one=b');
    expect(parsed.ok || parsed.problems[0]).toEqual({
      line: 2,
      message: expect.stringContaining('already set on line 1'),
    });
  });

  it('should round-trip through its text form', () => {
    const parsed = parseCustomParameters('a=1\nb_c=two words');
    expect(parsed.ok && formatCustomParameters(parsed.parameters)).toBe('a=1\nb_c=two words');
  });
});

describe('mergeCustomParameters', () => {
  it('should let link values override provider values and append new ones', () => {
    const merged = mergeCustomParameters(
      [
        { name: 'a', value: 'provider' },
        { name: 'b', value: 'provider' },
      ],
      [
        { name: 'c', value: 'link' },
        { name: 'a', value: 'link' },
      ],
    );
    expect(merged).toEqual([
      { name: 'a', value: 'link' },
      { name: 'b', value: 'provider' },
      { name: 'c', value: 'link' },
    ]);
  });
});

describe('lti1p1CustomParameterName', () => {
  it('should mangle names as the LTI 1.1 certification expects', () => {
    expect(lti1p1CustomParameterName('Complex!@#$^*(){}[]KEY')).toBe('custom_complex____________key');
    expect(lti1p1CustomParameterName('value_1')).toBe('custom_value_1');
  });
});
