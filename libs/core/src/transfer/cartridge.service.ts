import { Injectable } from '@nestjs/common';
import {
  CartridgeInvalid,
  CartridgeLink,
  cartridgeFiles,
  formatCustomParameters,
  mergeCustomParameters,
  openZip,
  XmlRefused,
  ZipRefused,
  zipFiles,
} from '@tms/lti';
import { Principal } from '../access/principal';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiResourceLinkRepository } from '../catalog/lti-resource-link.repository';
import { LtiResourceLinksService } from '../catalog/lti-resource-links.service';
import { DomainError } from '../errors/domain-error';
import { LtiSettings, PRODUCT_FAMILY_CODE } from '../launch/lti-settings';
import { CoursesService } from '../learning/courses.service';
import { UnitOfWork } from '../shared/unit-of-work';
import { CartridgeItemPlan, CartridgePlan, planImport, readCartridge } from './cartridge-plan';

/** Our data about a link, kept in its `blti:extensions` so our own import restores it. */
const EXTENSION = {
  ltiVersion: 'lti_version',
  required: 'required',
  requiresScore: 'requires_score',
  passing: 'passing_score',
};

/**
 * Common Cartridge export and import of a course's LTI activities. Export writes IMS CC 1.3 with one
 * Basic LTI link per activity in course order (secrets never leave: a link names its launch URL and
 * custom parameters only). Import reads an untrusted archive within caps (size, entries, zip slip,
 * zip bombs; DOCTYPE and entities refused), plans it — each LTI link matched to a resource link the
 * course's organization can use (same URL, same provider) or created under the provider the importer
 * chose; other resources listed as skipped — and writes the plan only when asked, in one transaction.
 */
@Injectable()
export class CartridgeService {
  constructor(
    private readonly courses: CoursesService,
    private readonly links: LtiResourceLinkRepository,
    private readonly providers: LtiProviderRepository,
    private readonly linkService: LtiResourceLinksService,
    private readonly uow: UnitOfWork,
    private readonly settings: LtiSettings,
  ) {}

  async exportCartridge(principal: Principal, courseId: string): Promise<{ title: string; archive: Buffer }> {
    const course = await this.courses.get(principal, courseId);
    const links = new Map(
      (await this.links.findByIds(course.activities.map((a) => a.resourceLinkId))).map((l) => [l.id, l]),
    );
    const exported: CartridgeLink[] = [];
    for (const activity of course.activities) {
      const link = links.get(activity.resourceLinkId);
      const provider = link && (await this.providers.findById(link.providerId));
      if (!link || !provider) continue;
      exported.push({
        title: activity.title,
        description: null,
        launchUrl: link.url,
        customParameters: mergeCustomParameters(provider.customParameters, link.customParameters),
        extensions: {
          [EXTENSION.ltiVersion]: provider.ltiVersion,
          [EXTENSION.required]: String(activity.required),
          [EXTENSION.requiresScore]: String(link.requiresScoreForCompletion),
          ...(link.passingScore === null ? {} : { [EXTENSION.passing]: String(link.passingScore) }),
        },
      });
    }
    const files = cartridgeFiles({ title: course.title, links: exported, vendor: this.vendor() });
    return { title: course.title, archive: await zipFiles(files.map((f) => ({ path: f.path, content: f.xml }))) };
  }

  /** What importing the archive would do; nothing is written. */
  async preview(principal: Principal, courseId: string, archive: Buffer, providerId?: string): Promise<CartridgePlan> {
    const course = await this.courses.get(principal, courseId);
    const usable = await this.courses.placeableLinks(principal, courseId);
    const provider = providerId === undefined ? null : await this.chosenProvider(principal, courseId, providerId);
    const cartridge = await this.read(archive);
    const providers = new Map<string, LtiProvider>();
    for (const link of usable) {
      if (!providers.has(link.providerId)) {
        const found = await this.providers.findById(link.providerId);
        if (found) providers.set(found.id, found);
      }
    }
    return planImport(course, cartridge, usable, providers, provider, EXTENSION.ltiVersion);
  }

  /** Imports the archive as previewed: links created, activities placed in order, all in one transaction. */
  async import(principal: Principal, courseId: string, archive: Buffer, providerId?: string): Promise<CartridgePlan> {
    const plan = await this.preview(principal, courseId, archive, providerId);
    const course = await this.courses.get(principal, courseId);
    await this.uow.run(async () => {
      for (const item of plan.items) await this.apply(principal, course.organizationId, courseId, item);
    });
    return { ...plan, applied: true };
  }

  private async apply(principal: Principal, organizationId: string, courseId: string, item: CartridgeItemPlan) {
    if (item.action === 'skip') return;
    const extensions = item.link.extensions;
    let resourceLinkId = item.action === 'match' ? item.resourceLinkId : '';
    if (item.action === 'create') {
      const requiresScore = extensions[EXTENSION.requiresScore] === 'true';
      const passing = Number(extensions[EXTENSION.passing]);
      const created = await this.linkService.create(principal, {
        name: item.title,
        organizationId,
        providerId: item.providerId,
        url: item.link.launchUrl,
        customParameters: formatCustomParameters(item.link.customParameters),
        requiresScoreForCompletion: requiresScore,
        passingScore: requiresScore && Number.isFinite(passing) ? passing : null,
        availableOrganizationIds: [organizationId],
      });
      resourceLinkId = created.id;
    }
    await this.courses.addActivity(principal, courseId, {
      resourceLinkId,
      title: item.title,
      required: extensions[EXTENSION.required] !== 'false',
    });
  }

  private async chosenProvider(principal: Principal, courseId: string, providerId: string): Promise<LtiProvider> {
    const usable = await this.courses.importProviders(principal, courseId);
    const provider = usable.find((p) => p.id === providerId);
    if (!provider) {
      throw DomainError.invalidField(
        'providerId',
        'Choose a tool that is active and available to the course’s organization',
      );
    }
    return provider;
  }

  /** The archive's links in order, or a refusal that names what is wrong with it. */
  private async read(archive: Buffer) {
    try {
      return await readCartridge(await openZip(archive), this.vendor().code);
    } catch (error) {
      if (error instanceof ZipRefused || error instanceof XmlRefused || error instanceof CartridgeInvalid) {
        throw DomainError.invalidField('cartridge', error.message);
      }
      throw error;
    }
  }

  private vendor() {
    return { code: PRODUCT_FAMILY_CODE, name: this.settings.instanceName };
  }
}
