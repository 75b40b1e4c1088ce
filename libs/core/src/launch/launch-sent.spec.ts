import { LaunchPerson } from '@tms/lti';
import { redactLaunchSent, REDACTED } from './launch-sent';

const person: LaunchPerson = {
  fullName: 'Ada Lovelace',
  givenName: 'Ada',
  familyName: 'Lovelace',
  email: 'ada+lti@example.com',
  sourcedId: 'SIS-1',
  username: 'ada',
};

describe('redactLaunchSent', () => {
  it('should remove the person’s values from parameters and the base string, raw and percent-encoded', () => {
    const sent = redactLaunchSent(
      {
        version: '1.1',
        url: 'https://tool.example/launch',
        consumerKey: 'key',
        parameters: { lis_person_name_full: 'Ada Lovelace', lis_person_contact_email_primary: 'ada+lti@example.com' },
        baseString:
          'POST&https%3A%2F%2Ftool&lis_person_name_full%3DAda%2520Lovelace%26email%3Dada%252Blti%2540example.com',
      },
      person,
    );
    expect(JSON.stringify(sent)).not.toMatch(/Ada|Lovelace|ada%2Blti|ada\+lti/);
    expect(sent.version === '1.1' && sent.parameters.lis_person_name_full).toBe(REDACTED);
  });

  it('should remove the person’s values from nested claims and keep everything else', () => {
    const sent = redactLaunchSent(
      { version: '1.3', claims: { name: 'Ada Lovelace', sub: 'user-1', custom: { who: 'Ada' } } },
      person,
    );
    expect(sent).toEqual({ version: '1.3', claims: { name: REDACTED, sub: 'user-1', custom: { who: REDACTED } } });
  });

  it('should keep what it writes within 64 KiB when the custom parameters are long', () => {
    const custom = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, 'x'.repeat(2000)]));
    const sent = redactLaunchSent({ version: '1.3', claims: { custom } }, person);
    expect(JSON.stringify(sent).length).toBeLessThanOrEqual(64 * 1024);
  });
});
