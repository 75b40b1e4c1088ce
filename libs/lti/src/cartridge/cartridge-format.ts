import type { CustomParameter } from '../custom-parameters';
import { childNamed, childrenNamed, childText, escapeXml, parseXmlTree, XmlElement } from './xml-tree';

/**
 * IMS Common Cartridge 1.3 with Basic LTI links (CC 1.3 §4 "imsbasiclti_xmlv1p0" resources; the link
 * document is the `cartridge_basiclti_link` of the LTI 1.0 cartridge binding, imslticc_v1p0). The
 * organization is one rooted hierarchy whose items keep the course's order. No secret of a tool ever
 * goes into a cartridge: a link names where it launches and what custom parameters it sends; how the
 * platform signs (keys, client ids) stays with the platform.
 */
export const CC_NS = {
  manifest: 'http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1',
  lomManifest: 'http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest',
  lticc: 'http://www.imsglobal.org/xsd/imslticc_v1p0',
  blti: 'http://www.imsglobal.org/xsd/imsbasiclti_v1p0',
  lticm: 'http://www.imsglobal.org/xsd/imslticm_v1p0',
  lticp: 'http://www.imsglobal.org/xsd/imslticp_v1p0',
} as const;

export const BASIC_LTI_RESOURCE_TYPE = 'imsbasiclti_xmlv1p0';
export const MANIFEST_PATH = 'imsmanifest.xml';

/** Our own data about a link, as `blti:extensions` for our platform (lticm properties, strings only). */
export type CartridgeExtensions = Readonly<Record<string, string>>;

/** One Basic LTI link of a cartridge. */
export interface CartridgeLink {
  readonly title: string;
  readonly description: string | null;
  readonly launchUrl: string;
  readonly customParameters: readonly CustomParameter[];
  /** The `blti:extensions` of `platform`, when the link has them. */
  readonly extensions: CartridgeExtensions;
}

export interface CartridgeToWrite {
  readonly title: string;
  readonly links: readonly CartridgeLink[];
  /** Who wrote the cartridge: `blti:vendor` code and name, and the extensions' platform. */
  readonly vendor: { readonly code: string; readonly name: string };
}

/** The files of a cartridge, manifest first, each a path inside the zip and its XML. */
export function cartridgeFiles(cartridge: CartridgeToWrite): { path: string; xml: string }[] {
  const resources = cartridge.links.map((link, index) => ({ id: `R${index + 1}`, link }));
  return [
    { path: MANIFEST_PATH, xml: manifestXml(cartridge.title, resources) },
    ...resources.map(({ id, link }) => ({ path: `${id}.xml`, xml: basicLtiLinkXml(link, cartridge.vendor) })),
  ];
}

function manifestXml(title: string, resources: readonly { id: string; link: CartridgeLink }[]): string {
  const items = resources
    .map(
      ({ id, link }) =>
        `<item identifier="I${id}" identifierref="${id}"><title>${escapeXml(link.title)}</title></item>`,
    )
    .join('');
  const files = resources
    .map(
      ({ id }) => `<resource identifier="${id}" type="${BASIC_LTI_RESOURCE_TYPE}"><file href="${id}.xml"/></resource>`,
    )
    .join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<manifest identifier="M1" xmlns="${CC_NS.manifest}" xmlns:lomm="${CC_NS.lomManifest}">` +
    '<metadata><schema>IMS Common Cartridge</schema><schemaversion>1.3.0</schemaversion>' +
    `<lomm:lom><lomm:general><lomm:title><lomm:string>${escapeXml(title)}</lomm:string></lomm:title></lomm:general></lomm:lom>` +
    '</metadata>' +
    // CC 1.3 §3.2: one organization, a "rooted-hierarchy" whose single root item has no title.
    `<organizations><organization identifier="O1" structure="rooted-hierarchy"><item identifier="ROOT">${items}</item>` +
    `</organization></organizations><resources>${files}</resources></manifest>\n`
  );
}

/** A `cartridge_basiclti_link` with the elements in the order of the imsbasiclti_v1p0 schema. */
function basicLtiLinkXml(link: CartridgeLink, vendor: CartridgeToWrite['vendor']): string {
  const property = ([name, value]: readonly [string, string]) =>
    `<lticm:property name="${escapeXml(name)}">${escapeXml(value)}</lticm:property>`;
  const custom = link.customParameters.length
    ? `<blti:custom>${link.customParameters.map((p) => property([p.name, p.value])).join('')}</blti:custom>`
    : '';
  const extensions = Object.keys(link.extensions).length
    ? `<blti:extensions platform="${escapeXml(vendor.code)}">${Object.entries(link.extensions).map(property).join('')}</blti:extensions>`
    : '';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<cartridge_basiclti_link xmlns="${CC_NS.lticc}" xmlns:blti="${CC_NS.blti}" xmlns:lticm="${CC_NS.lticm}" xmlns:lticp="${CC_NS.lticp}">` +
    `<blti:title>${escapeXml(link.title)}</blti:title>` +
    (link.description ? `<blti:description>${escapeXml(link.description)}</blti:description>` : '') +
    custom +
    extensions +
    `<blti:launch_url>${escapeXml(link.launchUrl)}</blti:launch_url>` +
    `<blti:vendor><lticp:code>${escapeXml(vendor.code)}</lticp:code><lticp:name>${escapeXml(vendor.name)}</lticp:name></blti:vendor>` +
    '</cartridge_basiclti_link>\n'
  );
}

/** An item of the organization, in order: the resource it shows, by its file when it is one. */
export interface ManifestItem {
  readonly title: string;
  readonly resourceType: string;
  /** The file of the resource (`file href`, else the resource's own `href`); null when it names none. */
  readonly href: string | null;
}

/**
 * The items of a manifest's organization in document order (depth first: the order a learner meets
 * them), each with its resource's type and file. Items without a resource are folders, not content.
 */
export function readManifest(xml: string): { title: string | null; items: ManifestItem[] } {
  const root = parseXmlTree(xml, 'The cartridge manifest');
  if (root.name !== 'manifest') throw new CartridgeInvalid('The cartridge manifest has no <manifest> root');
  const resources = new Map<string, { type: string; href: string | null }>();
  for (const resource of childrenNamed(childNamed(root, 'resources'), 'resource')) {
    const href = childNamed(resource, 'file')?.attributes.href ?? resource.attributes.href ?? null;
    resources.set(resource.attributes.identifier ?? '', { type: resource.attributes.type ?? '', href });
  }
  const items: ManifestItem[] = [];
  const walk = (item: XmlElement) => {
    const ref = item.attributes.identifierref;
    if (ref !== undefined) {
      const resource = resources.get(ref);
      const title = childText(item, 'title') ?? '(untitled)';
      items.push({ title, resourceType: resource?.type ?? 'missing', href: resource?.href ?? null });
    }
    childrenNamed(item, 'item').forEach(walk);
  };
  const organization = childNamed(childNamed(root, 'organizations'), 'organization');
  childrenNamed(organization, 'item').forEach(walk);
  const lom = childNamed(childNamed(childNamed(childNamed(root, 'metadata'), 'lom'), 'general'), 'title');
  return { title: childText(lom, 'string'), items };
}

/** Reads a Basic LTI link document; `platform` picks whose `blti:extensions` are returned. */
export function readBasicLtiLink(xml: string, platform: string): CartridgeLink {
  const root = parseXmlTree(xml, 'A Basic LTI link of the cartridge');
  if (root.name !== 'cartridge_basiclti_link' && root.name !== 'basic_lti_link') {
    throw new CartridgeInvalid(`A Basic LTI link of the cartridge has a <${root.name}> root`);
  }
  const title = childText(root, 'title', CC_NS.blti);
  const launchUrl = childText(root, 'secure_launch_url', CC_NS.blti) ?? childText(root, 'launch_url', CC_NS.blti);
  if (!title || !launchUrl) throw new CartridgeInvalid('A Basic LTI link of the cartridge has no title or launch URL');
  const properties = (element: XmlElement | undefined) =>
    childrenNamed(element, 'property', CC_NS.lticm).map((p) => ({ name: p.attributes.name ?? '', value: p.text }));
  const ours = childrenNamed(root, 'extensions', CC_NS.blti).find((e) => e.attributes.platform === platform);
  return {
    title,
    description: childText(root, 'description', CC_NS.blti),
    launchUrl,
    customParameters: properties(childNamed(root, 'custom', CC_NS.blti)).filter((p) => p.name !== ''),
    extensions: Object.fromEntries(properties(ours).map((p) => [p.name, p.value.trim()])),
  };
}

/** A cartridge that is well-formed XML but not what a cartridge must be. */
export class CartridgeInvalid extends Error {}
