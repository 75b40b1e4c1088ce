/**
 * Hostile input for the fuzz suite: a seeded generator (every run sends the same requests), value
 * catalogues, request bodies made from OpenAPI schemas, and a concurrent sender. Test inputs only:
 * reproducibility matters here, not unpredictability, so the generator is a plain PRNG.
 */

/** mulberry32: small, fast and good enough to pick test inputs. */
export class SeededRandom {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Text of random code points, odd ranges included (controls, surrogates, bidi, private use). */
  text(length: number): string {
    const ranges: Array<[number, number]> = [
      [0x20, 0x7e],
      [0x00, 0x1f],
      [0x80, 0x2ff],
      [0x202a, 0x202e],
      [0xd800, 0xdfff],
      [0xe000, 0xf8ff],
      [0xfff0, 0xffff],
      [0x1f600, 0x1f64f],
    ];
    let text = '';
    for (let i = 0; i < length; i++) {
      const [low, high] = this.pick(ranges);
      text += String.fromCodePoint(low + this.int(high - low + 1));
    }
    return text;
  }

  /** A JSON value of random shape, nested at most `depth` levels. */
  json(depth = 3): unknown {
    const kind = this.int(depth > 0 ? 8 : 6);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return this.next() < 0.5;
      case 2:
        return this.pick([0, -1, 1.5, 1e308, -1e-308, 2 ** 53 + 1, 100000]);
      case 3:
        return this.text(this.int(20));
      case 4:
        return this.pick(ODD_STRINGS);
      case 5:
        return '';
      case 6:
        return Array.from({ length: this.int(4) }, () => this.json(depth - 1));
      default:
        return Object.fromEntries(Array.from({ length: this.int(4) }, () => [this.text(5), this.json(depth - 1)]));
    }
  }
}

/** Strings that broke something, somewhere, once. */
export const ODD_STRINGS: readonly string[] = [
  'a\u0000b',
  'a\ud800b',
  '\udfff',
  'evil\u202eexe.txt',
  '\ufeffbom',
  'line\r\nSet-Cookie: a=b',
  '\u2028\u2029',
  'Z\u0324\u0354\u0367\u0311\u0313a\u0308\u0356\u032d\u0308\u0307l\u036e\u0312\u036bg\u0301\u0329o',
  '👩‍💻'.repeat(60),
  '%00%ff',
  '../../../etc/passwd',
  "' OR '1'='1' --",
  '<script>alert(1)</script>',
  '${jndi:ldap://127.0.0.1/a}',
  '{{7*7}}<%= 7*7 %>',
  'ﬀ\u0130\u212a',
  ' ',
];

/** Path parameters that are not ids of anything: malformed, absent, hostile, too long. */
export const BAD_IDS: readonly string[] = [
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  "1'%20OR%20'1'='1",
  '%00',
  '%E0%A4%A',
  '%ZZ',
  'x'.repeat(3000),
  '..%2F..%2Fadmin',
  '-1',
];

/** An object nested `levels` deep, built without recursion. */
export function deepObject(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 3 === 0 ? [value] : { a: value };
  return value;
}

/** The part of an OpenAPI schema the generator reads. */
export interface Schema {
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly nullable?: boolean;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly items?: Schema;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly $ref?: string;
}

/**
 * Values that no field of the schema's type can take, whatever its converters do (a form boolean
 * takes "true", a list takes one string, a number takes "12", a date takes 12345): they must be
 * refused. Null is among them unless the field is documented nullable.
 */
export function invalidValues(schema: Schema): unknown[] {
  const values: unknown[] = [{ $gt: '' }, [{}], deepObject(2000)];
  if (!schema.nullable) values.push(null);
  if (schema.enum) values.push('not-one-of-them');
  if (schema.format === 'uuid') values.push('not-a-uuid', "1' OR '1'='1");
  if (schema.items?.format === 'uuid') values.push(['not-a-uuid']);
  if (schema.items?.enum) values.push(['not-one-of-them']);
  if (schema.type === 'string' && schema.maxLength !== undefined) values.push('x'.repeat(schema.maxLength + 1));
  if (schema.type === 'number' || schema.type === 'integer') {
    values.push('abc');
    if (schema.maximum !== undefined) values.push(schema.maximum + 1);
    if (schema.minimum !== undefined) values.push(schema.minimum - 1);
  }
  if (schema.type === 'boolean') values.push('maybe', 12345);
  if (schema.type === 'array') values.push(12345, { 0: 'a' });
  return values;
}

/** Anything at all: what a careless or hostile client might send. Some of it is valid. */
export function anyValues(schema: Schema, random: SeededRandom): unknown[] {
  const values: unknown[] = [...ODD_STRINGS, 'x'.repeat(100_000), '', 0, -1, 1e308, true, 'true', '12', [], ['a']];
  if (schema.nullable) values.push(null);
  for (let i = 0; i < 4; i++) values.push(random.json());
  return values;
}

/** A body with the required fields of `schema` filled in (from `known` by name, else by type). */
export function requiredBody(schema: Schema, known: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of schema.required ?? []) body[name] = known[name] ?? sampleOf(schema.properties?.[name] ?? {});
  return body;
}

function sampleOf(schema: Schema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'number':
    case 'integer':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return schema.format === 'uuid' ? '6f1c1f3e-1d2b-4c6a-9a51-2b8f2a1c0d7e' : 'Fuzz';
  }
}

/** Bodies wrong as a whole: not JSON, not an object, the wrong media type, too big, too deep. */
export function wrongBodies(valid: unknown): Array<{ label: string; body: string | Uint8Array; type: string }> {
  const json = JSON.stringify(valid);
  return [
    { label: 'truncated JSON', body: json.slice(0, Math.max(1, json.length - 1)), type: 'application/json' },
    { label: 'trailing comma', body: '{"a":1,}', type: 'application/json' },
    { label: 'JSON with a NUL', body: '\u0000', type: 'application/json' },
    { label: 'a JSON string', body: '"text"', type: 'application/json' },
    { label: 'a JSON number', body: '42', type: 'application/json' },
    { label: 'JSON null', body: 'null', type: 'application/json' },
    { label: 'an array of the body', body: `[${json}]`, type: 'application/json' },
    { label: 'deep JSON', body: JSON.stringify(deepObject(2000)), type: 'application/json' },
    {
      label: 'prototype keys',
      body: '{"__proto__":{"x":1},"constructor":{"prototype":{"x":1}}}',
      type: 'application/json',
    },
    { label: 'JSON over the size limit', body: JSON.stringify({ a: 'x'.repeat(300_000) }), type: 'application/json' },
    { label: 'an unknown charset', body: json, type: 'application/json; charset=klingon' },
    { label: 'UTF-16 declared, UTF-8 sent', body: json, type: 'application/json; charset=utf-16' },
    {
      label: 'bytes that are not UTF-8',
      body: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      type: 'application/json',
    },
    { label: 'XML', body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>', type: 'application/xml' },
    {
      label: 'multipart garbage',
      body: '--x\r\nContent-Disposition: form-data\r\n\r\n',
      type: 'multipart/form-data; boundary=x',
    },
  ];
}

/** Authorization headers that authenticate nobody, or the wrong kind of client. */
export function strangerAuthorizations(wrongKindTokens: readonly string[]): Array<string | null> {
  return [
    null,
    'Bearer ',
    'Bearer not-a-token',
    `Bearer ${'a'.repeat(5000)}`,
    'Basic cm9vdDpyb290',
    'Bearer \u00e9\u00ff',
    ...wrongKindTokens.map((token) => `Bearer ${token}`),
  ];
}

export interface FuzzRequest {
  /** What the request is, for failure messages. */
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

export interface FuzzResult {
  readonly label: string;
  /** 0 when no answer came (the connection failed). */
  readonly status: number;
}

/** JSON body, with a content type; `undefined` sends none. */
export function jsonRequest(
  label: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  type = 'application/json',
): FuzzRequest {
  return { label, method, path, headers: { ...headers, 'content-type': type }, body: JSON.stringify(body) };
}

/** Sends every request, `concurrency` at a time, and gives each one's status. */
export async function sendAll(
  baseUrl: string,
  requests: readonly FuzzRequest[],
  concurrency = 8,
): Promise<FuzzResult[]> {
  const results: FuzzResult[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const request = requests[index];
      results[index] = { label: request.label, status: await statusOf(baseUrl, request) };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

async function statusOf(baseUrl: string, request: FuzzRequest): Promise<number> {
  try {
    const response = await fetch(baseUrl + request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
