import { randomBytes, randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { LtiSettings, PlatformUrls } from '@tms/core';
import { LaunchBinding } from './launch-binding';

const authorizeUrl = (publicUrl: string) => new PlatformUrls({ publicUrl } as LtiSettings).url('authorize');

/** The cookies a response set, as the browser would send them back. */
function cookiesSetBy(binding: LaunchBinding, loginId: string) {
  const set: { name: string; value: string; options: Record<string, unknown> }[] = [];
  const response = {
    cookie: (name: string, value: string, options: Record<string, unknown>) => set.push({ name, value, options }),
  };
  binding.bind(response as unknown as Response, loginId);
  return set;
}

const requestWith = (cookies: Record<string, string>) => ({ cookies }) as unknown as Request;

describe('LaunchBinding', () => {
  const binding = new LaunchBinding(randomBytes(32), authorizeUrl('https://tms.example.com'));

  it('should set a cookie only the authorization endpoint receives, sent on cross-site navigations into our frame', () => {
    const loginId = randomUUID();
    const [cookie] = cookiesSetBy(binding, loginId);
    expect(cookie.name).toBe(`tms_lti_login_${loginId}`);
    expect(cookie.options).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'none',
      path: '/lti/1p3/authorize',
      maxAge: 300_000,
    });
  });

  it('should scope the cookie to the authorization endpoint under the public URL’s path prefix', () => {
    const behindProxy = new LaunchBinding(randomBytes(32), authorizeUrl('https://example.com/tms'));
    expect(cookiesSetBy(behindProxy, randomUUID())[0].options.path).toBe('/tms/lti/1p3/authorize');
  });

  it('should name the login a browser carries the cookie of', () => {
    const loginId = randomUUID();
    const [cookie] = cookiesSetBy(binding, loginId);
    expect(binding.boundLogins(requestWith({ [cookie.name]: cookie.value, tms_session: 'x' }))).toEqual(
      new Set([loginId]),
    );
  });

  it('should bind nothing when the cookie was made with another key, for another login, or not a login id', () => {
    const loginId = randomUUID();
    const [foreign] = cookiesSetBy(
      new LaunchBinding(randomBytes(32), authorizeUrl('https://tms.example.com')),
      loginId,
    );
    const [mine] = cookiesSetBy(binding, randomUUID());
    expect(
      binding.boundLogins(
        requestWith({
          [foreign.name]: foreign.value,
          [`tms_lti_login_${randomUUID()}`]: mine.value,
          'tms_lti_login_not-a-uuid': mine.value,
        }),
      ),
    ).toEqual(new Set());
  });
});
