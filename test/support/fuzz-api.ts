import {
  anyValues,
  BAD_IDS,
  FuzzRequest,
  invalidValues,
  jsonRequest,
  requiredBody,
  Schema,
  SeededRandom,
  strangerAuthorizations,
  wrongBodies,
} from './fuzz';

/** The part of the OpenAPI document the generator reads. */
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

interface Operation {
  readonly parameters?: ReadonlyArray<{ name: string; in: 'path' | 'query'; schema?: Schema }>;
  readonly requestBody?: { content: Record<string, { schema: Schema }> };
  readonly security?: readonly unknown[];
}

/**
 * Fuzzed requests: those that must all be refused; those that may do anything; and those that act
 * (delete, rotate) and so run last, one at a time, never racing the others.
 */
export interface FuzzBatches {
  readonly refused: FuzzRequest[];
  readonly anything: FuzzRequest[];
  readonly last: FuzzRequest[];
}

/** Ids of real rows, so that requests get past "not found" into validation and the services. */
export interface ApiWorld {
  /** By the collection before `{id}` (`users`, `courses`) or by the parameter name (`activityId`). */
  readonly ids: Record<string, string>;
  /** Values of body fields by name (`organizationId`, `courseId`), so required fields are valid. */
  readonly fields: Record<string, unknown>;
  readonly adminToken: string;
  /** Tokens that are real but not API tokens (an LTI service access token). */
  readonly wrongKindTokens: readonly string[];
}

/**
 * Requests for every operation of the OpenAPI document: strangers' and wrong-kind credentials,
 * path ids that name nothing, bad query values, and for each body field the values it cannot take
 * (refused), then odd, huge and random values and wrong bodies as a whole (anything).
 */
export function apiRequests(document: OpenApiDocument, world: ApiWorld, random: SeededRandom): FuzzBatches {
  const batches: FuzzBatches = { refused: [], anything: [], last: [] };
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      fuzzOperation(batches, document, world, random, method.toUpperCase(), template, operation);
    }
  }
  return batches;
}

function fuzzOperation(
  batches: FuzzBatches,
  document: OpenApiDocument,
  world: ApiWorld,
  random: SeededRandom,
  method: string,
  template: string,
  operation: Operation,
): void {
  const admin = { authorization: `Bearer ${world.adminToken}` };
  const path = fillPath(template, world.ids);
  const bodySchema = resolve(document, operation.requestBody?.content['application/json']?.schema);
  const valid = bodySchema ? requiredBody(bodySchema, world.fields) : undefined;
  const send = (label: string, at: string, body: unknown, headers: Record<string, string> = admin) =>
    body === undefined
      ? { label: `${method} ${template}: ${label}`, method, path: at, headers }
      : jsonRequest(`${method} ${template}: ${label}`, method, at, body, headers);
  // A bodiless action (rotate, delete) with the right credentials and ids simply happens: only
  // strangers and ids that name nothing may be sent to it among the refused.
  const acts = valid === undefined && method !== 'GET';
  const refusedOrAnything = (request: FuzzRequest, refused: boolean) =>
    (refused ? batches.refused : batches.anything).push(request);

  // A public operation (sign-in) answers strangers: one of them will do, in the anything batch.
  const strangers = strangerAuthorizations(world.wrongKindTokens).slice(0, operation.security ? undefined : 1);
  for (const authorization of strangers) {
    const headers: Record<string, string> = authorization === null ? {} : { authorization };
    refusedOrAnything(
      send(`as ${authorization?.slice(0, 20) ?? 'nobody'}`, path, valid, headers),
      !!operation.security,
    );
  }
  for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path')) {
    for (const bad of BAD_IDS) {
      const at = fillPath(template.replace(`{${parameter.name}}`, bad), world.ids);
      batches.refused.push(send(`${parameter.name}=${bad.slice(0, 20)}`, at, valid));
    }
  }
  for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'query')) {
    const schema = parameter.schema ?? {};
    const numeric = schema.type === 'number' || schema.type === 'integer';
    const bad = [...(numeric ? ['abc', '-1', '1e400', '99999999999'] : []), 'x'.repeat(5000)];
    if (schema.enum || schema.format === 'uuid') bad.push('not-one-of-them');
    for (const value of bad) {
      refusedOrAnything(
        send(`?${parameter.name}=${value.slice(0, 20)}`, `${path}?${parameter.name}=${value}`, valid),
        !acts,
      );
    }
    const twice = `${path}?${parameter.name}=1&${parameter.name}=2`;
    refusedOrAnything(send(`?${parameter.name} twice`, twice, valid), !acts);
    const odd = anyValues(schema, random)
      .filter((value): value is string => typeof value === 'string')
      .map((value) => encodeURIComponent(value.slice(0, 2000).toWellFormed()));
    // Raw percent-encodings of what is not UTF-8 (a lone surrogate, stray bytes), then odd text.
    for (const value of ['%ED%A0%80', '%FF%FE', '%ZZ', ...odd]) {
      batches.anything.push(
        send(`?${parameter.name}=${value.slice(0, 20)}`, `${path}?${parameter.name}=${value}`, valid),
      );
    }
  }
  if ((operation.parameters ?? []).some((p) => p.in === 'query')) {
    batches.refused.push(send('an unknown query parameter', `${path}?fuzz=1`, valid));
  }
  if (!bodySchema || valid === undefined) {
    // Bodies for an operation that takes none: ignored, so the operation happens (delete, rotate).
    if (method !== 'GET') batches.last.push(...wrongBodies({}).map((b) => raw(method, template, path, b, admin)));
    return;
  }
  batches.refused.push(send('an unknown field', path, { ...valid, fuzzUnknown: 1 }));
  for (const [field, schema] of Object.entries(bodySchema.properties ?? {})) {
    const resolved = resolve(document, schema) ?? {};
    for (const value of invalidValues(resolved)) {
      batches.refused.push(send(`${field}=${describe(value)}`, path, { ...valid, [field]: value }));
    }
    // A password is hashed (scrypt) before anything else looks at it: a few will do.
    const anything = anyValues(resolved, random);
    for (const value of resolved.format === 'password' ? anything.slice(0, 3) : anything) {
      batches.anything.push(send(`${field}=${describe(value)}`, path, { ...valid, [field]: value }));
    }
  }
  const bodies = wrongBodies(valid);
  // Without a readable body, an operation whose fields are all optional has nothing to refuse.
  const needsBody = (bodySchema.required ?? []).length > 0;
  for (const body of bodies) refusedOrAnything(raw(method, template, path, body, admin), needsBody);
  for (let i = 0; i < 3; i++) batches.anything.push(send('random JSON', path, random.json(4)));
}

function raw(
  method: string,
  template: string,
  path: string,
  body: { label: string; body: string | Uint8Array; type: string },
  headers: Record<string, string>,
): FuzzRequest {
  return {
    label: `${method} ${template}: ${body.label}`,
    method,
    path,
    headers: { ...headers, 'content-type': body.type },
    body: body.body,
  };
}

/** Each `{param}` replaced by the real id known for it, or a UUID of nothing. */
function fillPath(template: string, ids: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
    const collection = template.slice(0, offset).split('/').filter(Boolean).pop() ?? '';
    return ids[name === 'id' ? collection : name] ?? '6f1c1f3e-1d2b-4c6a-9a51-2b8f2a1c0d7e';
  });
}

function resolve(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return document.components.schemas[schema.$ref.split('/').pop()!];
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
