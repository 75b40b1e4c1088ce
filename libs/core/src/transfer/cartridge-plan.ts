import {
  BASIC_LTI_RESOURCE_TYPE,
  CartridgeInvalid,
  CartridgeLink,
  CheckedZip,
  MANIFEST_PATH,
  readBasicLtiLink,
  readManifest,
  XmlRefused,
} from '@tms/lti';
import { LtiProvider } from '../catalog/lti-provider';
import { LtiResourceLink } from '../catalog/lti-resource-link';
import { Course } from '../learning/learning';

/** An item of a cartridge as read: a Basic LTI link, or something else that is only listed. */
export type CartridgeEntry =
  | { readonly kind: 'link'; readonly title: string; readonly link: CartridgeLink }
  | { readonly kind: 'other'; readonly title: string; readonly resourceType: string; readonly problem?: string };

export interface ReadCartridge {
  readonly title: string | null;
  readonly entries: readonly CartridgeEntry[];
}

export type SkipReason = 'not_lti' | 'unreadable_link' | 'no_matching_link';

export type CartridgeItemPlan =
  | {
      readonly action: 'match';
      readonly title: string;
      readonly link: CartridgeLink;
      readonly resourceLinkId: string;
      readonly resourceLinkName: string;
    }
  | {
      readonly action: 'create';
      readonly title: string;
      readonly link: CartridgeLink;
      readonly providerId: string;
      readonly providerName: string;
    }
  | { readonly action: 'skip'; readonly title: string; readonly reason: SkipReason; readonly detail: string };

/** What an import does (or did), item by item in the cartridge's order. */
export interface CartridgePlan {
  readonly courseId: string;
  readonly cartridgeTitle: string | null;
  readonly items: readonly CartridgeItemPlan[];
  readonly applied: boolean;
}

/** Reads the manifest and every Basic LTI link it names, in the organization's order. */
export async function readCartridge(zip: CheckedZip, platform: string): Promise<ReadCartridge> {
  const manifest = await zip.read(MANIFEST_PATH);
  if (manifest === null)
    throw new CartridgeInvalid(`The archive has no ${MANIFEST_PATH}: it is not a Common Cartridge`);
  const { title, items } = readManifest(manifest);
  const entries: CartridgeEntry[] = [];
  for (const item of items) {
    if (!item.resourceType.startsWith('imsbasiclti_xmlv1p')) {
      entries.push({ kind: 'other', title: item.title, resourceType: item.resourceType });
      continue;
    }
    const xml = item.href === null ? null : await zip.read(item.href);
    if (xml === null) {
      entries.push({
        kind: 'other',
        title: item.title,
        resourceType: item.resourceType,
        problem: 'its file is missing',
      });
      continue;
    }
    try {
      entries.push({ kind: 'link', title: item.title, link: readBasicLtiLink(xml, platform) });
    } catch (error) {
      // A hostile document refuses the whole archive; a merely incomplete link is listed and skipped.
      if (error instanceof XmlRefused && error.reason === 'doctype') throw error;
      const problem = error instanceof Error ? error.message : String(error);
      entries.push({ kind: 'other', title: item.title, resourceType: BASIC_LTI_RESOURCE_TYPE, problem });
    }
  }
  return { title, entries };
}

/**
 * Decides each item: a link whose launch URL is that of a resource link the course's organization can
 * use, under a provider of the link's LTI version (the chosen provider's first), is matched to it;
 * otherwise it is created under the chosen provider when that is of the link's version; else skipped.
 */
export function planImport(
  course: Course,
  cartridge: ReadCartridge,
  usable: readonly LtiResourceLink[],
  providers: ReadonlyMap<string, LtiProvider>,
  chosen: LtiProvider | null,
  versionExtension: string,
): CartridgePlan {
  const items = cartridge.entries.map((entry): CartridgeItemPlan => {
    if (entry.kind === 'other') {
      const reason = entry.problem ? 'unreadable_link' : 'not_lti';
      const detail = entry.problem ?? `A ${entry.resourceType} resource, not an LTI link`;
      return { action: 'skip', title: entry.title, reason, detail };
    }
    const version = entry.link.extensions[versionExtension];
    const fits = (provider: LtiProvider | undefined) => !!provider && (!version || provider.ltiVersion === version);
    // Same URL under a tool of the link's LTI version; the chosen tool's link first when there are several.
    const match = usable
      .filter((link) => link.url === entry.link.launchUrl && fits(providers.get(link.providerId)))
      .sort((a, b) => Number(b.providerId === chosen?.id) - Number(a.providerId === chosen?.id))[0];
    if (match) {
      return {
        action: 'match',
        title: entry.title,
        link: entry.link,
        resourceLinkId: match.id,
        resourceLinkName: match.name,
      };
    }
    if (chosen && fits(chosen)) {
      return {
        action: 'create',
        title: entry.title,
        link: entry.link,
        providerId: chosen.id,
        providerName: chosen.name,
      };
    }
    if (chosen) {
      const detail = `It is an LTI ${version} link; ${chosen.name} is an LTI ${chosen.ltiVersion} tool`;
      return { action: 'skip', title: entry.title, reason: 'no_matching_link', detail };
    }
    const detail = 'No resource link with this URL is available here; choose a tool to create one under';
    return { action: 'skip', title: entry.title, reason: 'no_matching_link', detail };
  });
  return { courseId: course.id, cartridgeTitle: cartridge.title, items, applied: false };
}
