import { SaxesParser } from 'saxes';

/** An element of an untrusted XML document: namespace, local name, attributes by local name, children, direct text. */
export interface XmlElement {
  readonly uri: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

export class XmlRefused extends Error {
  constructor(
    readonly reason: 'doctype' | 'malformed' | 'too_deep',
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

const MAX_DEPTH = 64;

/**
 * Parses an untrusted document with saxes into a small tree. Saxes expands only the five predefined
 * entities and character references; any DOCTYPE is refused before its content can matter (external
 * entities, billion laughs), and an undeclared entity is not well-formed XML (XML 1.0 §4.1, WFC:
 * Entity Declared), so no entity of the document's own is ever expanded.
 */
export function parseXmlTree(xml: string, what: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on('doctype', () => {
    throw new XmlRefused('doctype', `${what} declares a DOCTYPE, which is refused`);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) throw new XmlRefused('too_deep', `${what} nests elements deeper than ${MAX_DEPTH}`);
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) attributes[attribute.local] = attribute.value;
    const element: XmlElement = { uri: tag.uri, name: tag.local, attributes, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  const appendText = (text: string) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof XmlRefused) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new XmlRefused('malformed', `${what} is not well-formed XML: ${detail}`, { cause: error });
  }
  if (!root) throw new XmlRefused('malformed', `${what} has no root element`);
  return root;
}

/** The children named `name` (in namespace `uri`, when given). */
export function childrenNamed(element: XmlElement | undefined, name: string, uri?: string): XmlElement[] {
  return (element?.children ?? []).filter((c) => c.name === name && (uri === undefined || c.uri === uri));
}

export function childNamed(element: XmlElement | undefined, name: string, uri?: string): XmlElement | undefined {
  return childrenNamed(element, name, uri)[0];
}

/** Trimmed text of a child; absent or blank is null. */
export function childText(element: XmlElement | undefined, name: string, uri?: string): string | null {
  const text = childNamed(element, name, uri)?.text.trim();
  return text ? text : null;
}

/** Escapes text for an element's content or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[char] ?? char,
  );
}
