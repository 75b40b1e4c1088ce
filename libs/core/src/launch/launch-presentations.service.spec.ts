import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { lti1p1Provider, lti1p3Provider, resourceLink } from '../testing/catalog.factories';
import { LaunchPresentations } from './launch-presentations.service';
import { LtiSettings } from './lti-settings';

const settings: LtiSettings = {
  publicUrl: 'https://tms.example.com',
  instanceName: 'TMS',
  oauthTimestampWindowSeconds: 300,
};

describe('LaunchPresentations', () => {
  const framed11 = lti1p1Provider({ id: 'p-11' });
  const window11 = lti1p1Provider({ id: 'p-11-window', presentation: { target: 'window', width: null, height: null } });
  const crossSite13 = lti1p3Provider({ id: 'p-13' }, { loginUrl: 'https://tool.example/login' });
  const providers = new Map([framed11, window11, crossSite13].map((provider) => [provider.id, provider]));
  const links = [
    resourceLink({ id: 'l-framed', providerId: 'p-11' }),
    resourceLink({ id: 'l-window', providerId: 'p-11-window' }),
    resourceLink({ id: 'l-cross', providerId: 'p-13' }),
    resourceLink({ id: 'l-orphan', providerId: 'p-gone' }),
  ];
  const linkRepository = {
    findByIds: jest.fn(async (ids: readonly string[]) => links.filter((link) => ids.includes(link.id))),
  } as unknown as LtiResourceLinkRepository;
  const providerRepository = {
    findByIds: jest.fn(async (ids: readonly string[]) => [...providers.values()].filter((p) => ids.includes(p.id))),
  } as unknown as LtiProviderRepository;

  it('should tell each activity where it opens, a window by setting or by fallback, and leave out one without a tool', async () => {
    const presentations = new LaunchPresentations(linkRepository, providerRepository, settings);
    const targets = await presentations.of([
      { id: 'a-framed', resourceLinkId: 'l-framed' },
      { id: 'a-window', resourceLinkId: 'l-window' },
      { id: 'a-cross', resourceLinkId: 'l-cross' },
      { id: 'a-orphan', resourceLinkId: 'l-orphan' },
    ]);
    expect(Object.fromEntries(targets)).toEqual({ 'a-framed': 'iframe', 'a-window': 'window', 'a-cross': 'window' });
  });
});
