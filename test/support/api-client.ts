/** A small JSON client for the API under test, using Node's fetch. */
export interface ApiResponse<T = any> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token?: string,
  ) {}

  static async signIn(baseUrl: string, email: string, password: string): Promise<ApiClient> {
    const response = await new ApiClient(baseUrl).post('/api/v1/auth/token', { email, password });
    if (response.status !== 201) throw new Error(`sign-in of ${email} failed: ${response.status} ${response.text}`);
    return new ApiClient(baseUrl, response.body.accessToken);
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = any>(path: string, body: unknown) {
    return this.request<T>('POST', path, body);
  }

  patch<T = any>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** `body` as a string is sent as is (for malformed JSON). */
  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = contentType;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: parseJson(text) as T, text };
  }
}

/** Creates a user with a password and one role through the API, and signs them in. */
export async function createPerson(
  admin: ApiClient,
  input: { email: string; name?: string; organizationId: string; role: string; password?: string },
): Promise<{ id: string; client: ApiClient }> {
  const password = input.password ?? 'a-long-test-password';
  const created = await admin.post('/api/v1/users', {
    email: input.email,
    name: input.name ?? input.email.split('@')[0],
    password,
    organizationId: input.organizationId,
  });
  if (created.status !== 201) throw new Error(`creating ${input.email}: ${created.status} ${created.text}`);
  const role = await admin.post(`/api/v1/users/${created.body.id}/memberships`, {
    organizationId: input.organizationId,
    role: input.role,
  });
  if (role.status !== 201) throw new Error(`role for ${input.email}: ${role.status} ${role.text}`);
  return { id: created.body.id, client: await ApiClient.signIn(admin.baseUrl, input.email, password) };
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
