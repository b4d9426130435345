/** Just enough XML for the Route 53 REST-XML API: elements and text, no attributes kept, no DTDs. */

export interface XmlNode {
  name: string;
  children: XmlNode[];
  text: string;
}

export class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? whole;
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function parseXml(source: string): XmlNode {
  const text = source.replace(/<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const root: XmlNode = { name: '#root', children: [], text: '' };
  const stack: XmlNode[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.:-]*)([^>]*?)(\/?)>|([^<]+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
      continue;
    }
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      if (top.name !== name) throw new XmlSyntaxError(`unexpected </${name}>`);
      stack.pop();
      continue;
    }
    const node: XmlNode = { name: name!.replace(/^.*:/, ''), children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new XmlSyntaxError('unbalanced XML');
  return root.children[0]!;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

export function textOf(node: XmlNode | undefined, name: string): string | undefined {
  const c = child(node, name);
  return c === undefined ? undefined : c.text.trim();
}

/** Builds XML from nested arrays: ['Name', 'text'] or ['Name', [...children]]; undefined values are skipped. */
export type XmlSpec = [string, string | number | boolean | XmlSpec[] | undefined];

export function buildXml(spec: XmlSpec): string {
  const [name, value] = spec;
  if (value === undefined) return '';
  if (Array.isArray(value)) return `<${name}>${value.map(buildXml).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
