import { randomBytes } from 'node:crypto';
import { LaunchRelay } from './launch-relay';

describe('LaunchRelay', () => {
  const relay = new LaunchRelay(randomBytes(32));
  const ticket = {
    target: 'https://tool.example.com/launch?x=1',
    restart: '/learn/e/activities/a/launch',
    freshForMs: 3_000,
  };
  const tokenOf = (url: string) => url.slice('/lti/relay/'.length);

  it('should open its own ticket with the target, the restart page and the expiry', () => {
    const before = Date.now();
    const opened = relay.open(tokenOf(relay.url(ticket)));
    expect(opened).toMatchObject({ target: ticket.target, restart: ticket.restart });
    expect(opened!.expiresAt).toBeGreaterThanOrEqual(before + 3_000);
    expect(opened!.expiresAt).toBeLessThanOrEqual(Date.now() + 3_000);
  });

  it('should refuse a ticket whose target was changed', () => {
    const [, signature] = tokenOf(relay.url(ticket)).split('.');
    const forged = Buffer.from(JSON.stringify({ t: 'https://evil.example.com/', r: null, e: Date.now() + 60_000 }));
    expect(relay.open(`${forged.toString('base64url')}.${signature}`)).toBeNull();
  });

  it('should refuse a ticket signed with another key, or without a signature', () => {
    const other = new LaunchRelay(randomBytes(32));
    expect(relay.open(tokenOf(other.url(ticket)))).toBeNull();
    expect(relay.open(tokenOf(relay.url(ticket)).split('.')[0])).toBeNull();
    expect(relay.open('not-a-ticket')).toBeNull();
  });
});
