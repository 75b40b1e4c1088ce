import { historyValue, launchVariables, LaunchVariablesInput } from './launch-variables';
import { substituteVariables } from './substitution';

const input = (history: { context?: string[]; link?: string[] }): LaunchVariablesInput => ({
  userId: 'u-1',
  roles: ['Learner'],
  person: { fullName: null, givenName: null, familyName: null, email: null, sourcedId: null, username: null },
  context: { id: 'c-2:self-paced', label: 'C2', title: 'C2', type: 'CourseOffering', idHistory: history.context },
  resourceLink: { id: 'rl-2', title: 'Quiz', description: null, idHistory: history.link },
  toolConsumer: { instanceGuid: 'tms', instanceName: 'TMS', productFamilyCode: 'tms', version: '1' },
  outcome: null,
});

describe('history substitution variables (LTI Core 1.3 Appendix C)', () => {
  it('should list the copies most recent first, comma-separated and URL-encoded when a placement was copied twice', () => {
    const variables = launchVariables(input({ context: ['c-1:self-paced', 'c,0'], link: ['rl-1', 'rl 0'] }));
    expect(variables['Context.id.history']).toBe('c-1%3Aself-paced,c%2C0');
    expect(variables['ResourceLink.id.history']).toBe('rl-1,rl%200');
  });

  it('should substitute an empty value when the course and placement are not copies', () => {
    const custom = substituteVariables(
      [
        { name: 'links', value: '$ResourceLink.id.history' },
        { name: 'contexts', value: '$Context.id.history' },
      ],
      launchVariables(input({ context: [], link: [] })),
    );
    expect(custom).toEqual([
      { name: 'links', value: '' },
      { name: 'contexts', value: '' },
    ]);
  });

  it('should leave the variable unsubstituted when a message has no history to give', () => {
    expect(historyValue(undefined)).toBeNull();
    const [custom] = substituteVariables(
      [{ name: 'h', value: '$ResourceLink.id.history' }],
      launchVariables(input({})),
    );
    expect(custom.value).toBe('$ResourceLink.id.history');
  });
});
