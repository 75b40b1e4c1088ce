import { Injectable } from '@nestjs/common';
import { PresentationTarget } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { CourseActivity } from '../learning/learning';
import { presentationOf } from './launch-presentation';
import { LtiSettings } from './lti-settings';

/**
 * Where each activity's launch will open, for the pages that link to it. Browsers open a new window
 * only from the person's own click (popup blockers: a script on a page reached by navigation has no
 * user activation left), so a launch that opens in a window must be opened by the Launch link itself
 * (`target="_blank"`); a framed one stays on our page.
 */
@Injectable()
export class LaunchPresentations {
  constructor(
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
    private readonly settings: LtiSettings,
  ) {}

  /** By activity id; an activity whose link or tool is gone is left out (its launch page says why). */
  async of(
    activities: readonly Pick<CourseActivity, 'id' | 'resourceLinkId'>[],
  ): Promise<Map<string, PresentationTarget>> {
    const links = await this.links.findByIds([...new Set(activities.map((activity) => activity.resourceLinkId))]);
    const providerIds = [...new Set(links.map((link) => link.providerId))];
    const providers = new Map((await this.providers.findByIds(providerIds)).map((provider) => [provider.id, provider]));
    const targets = new Map<string, PresentationTarget>();
    for (const activity of activities) {
      const link = links.find((candidate) => candidate.id === activity.resourceLinkId);
      const provider = link && providers.get(link.providerId);
      if (provider) targets.set(activity.id, presentationOf(provider, this.settings.publicUrl).target);
    }
    return targets;
  }
}
