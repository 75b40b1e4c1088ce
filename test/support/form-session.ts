/** A browser-like session: cookies kept, CSRF token read from the last page. */
export class FormSession {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<Response> {
    const response = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
    this.keep(response);
    const html = await response.clone().text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf;
    return response;
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    const response = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: this.csrf }).toString(),
      redirect: 'manual',
    });
    this.keep(response);
    return response;
  }

  private keep(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair.split('=');
      this.cookies.set(name, value);
    }
  }

  /** The Cookie header this browser sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Signs in through the login form and follows the redirect, as a browser does (sign-in renews the CSRF token). */
  async signIn(email: string, password: string): Promise<void> {
    await this.get('/login');
    const response = await this.post('/login', { email, password });
    if (response.status !== 303) throw new Error(`form sign-in of ${email} failed: ${response.status}`);
    await this.get(response.headers.get('location') ?? '/');
  }
}
