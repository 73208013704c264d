/**
 * Just enough of the browser DOM for urdf-loader to parse URDF text under Node (tests, the CLI):
 * `DOMParser`, `Document` and `Element` with `nodeName`, `children`, `getAttribute` and a
 * `querySelector` for `tag` / `tag[attr="value"]` among descendants. Elements and attributes only:
 * text, comments, processing instructions and DOCTYPE are skipped, entities are not decoded
 * (URDF attributes are plain numbers and names). Malformed nesting throws, naming the tag.
 */

/** An XML element. */
export class XmlElement {
  readonly children: XmlElement[] = [];
  constructor(
    readonly nodeName: string,
    private readonly attributes: ReadonlyMap<string, string>,
  ) {}

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }

  /** First descendant matching `tag` or `tag[attr="value"]`, depth first. */
  querySelector(selector: string): XmlElement | null {
    const match = /^([\w:-]+)(?:\[([\w:-]+)="([^"]*)"\])?$/.exec(selector.trim());
    if (!match) throw new Error(`xml-dom: unsupported selector ${selector}`);
    const [, tag, attribute, value] = match;
    const search = (element: XmlElement): XmlElement | null => {
      for (const child of element.children) {
        if (child.nodeName === tag && (!attribute || child.getAttribute(attribute) === value)) return child;
        const found = search(child);
        if (found) return found;
      }
      return null;
    };
    return search(this);
  }
}

/** A parsed document: its root element is its only child. */
export class XmlDocument extends XmlElement {
  constructor() {
    super('#document', new Map());
  }
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\/\s*([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Parse XML text into elements. */
export function parseXml(text: string): XmlDocument {
  const document = new XmlDocument();
  const open: XmlElement[] = [document];
  for (const token of text.matchAll(TOKEN)) {
    const [, closing, tag, attributeText, selfClosing] = token;
    if (closing) {
      const top = open.pop();
      if (!top || top.nodeName !== closing || open.length === 0) throw new Error(`xml-dom: </${closing}> does not close <${top?.nodeName}>`);
    } else if (tag) {
      const attributes = new Map<string, string>();
      for (const [, name, double, single] of (attributeText ?? '').matchAll(ATTRIBUTE)) attributes.set(name!, double ?? single ?? '');
      const element = new XmlElement(tag, attributes);
      open[open.length - 1]!.children.push(element);
      if (!selfClosing) open.push(element);
    }
  }
  if (open.length !== 1) throw new Error(`xml-dom: <${open[open.length - 1]!.nodeName}> is never closed`);
  return document;
}

/** Install `DOMParser`, `Document` and `Element` on globalThis where they are missing (Node). */
export function installXmlDom(): void {
  const scope = globalThis as Record<string, unknown>;
  scope.Document ??= XmlDocument;
  scope.Element ??= XmlElement;
  scope.DOMParser ??= class {
    parseFromString(text: string): XmlDocument {
      return parseXml(text);
    }
  };
}
