/** Hashes of the inline code in one HTML response, as CSP source expressions (`'sha256-…'`). */
export interface InlineCodeHashes {
  scripts: string[];
  styleElements: string[];
  styleAttributes: string[];
}

type Directives = Map<string, string[]>;

/**
 * Adds the hashes of one response's inline code to a Content-Security-Policy header value, and
 * `data:` to the sources of images, because the dashboard (1.9) sets its tab icon from a `data:`
 * URL. Every other source the host allowed stays, and each policy of a comma-separated header is
 * extended on its own.
 *
 * A directive is extended where the browser looks it up: `script-src-elem`, then `script-src`,
 * then `default-src`. When only `default-src` restricts, a new `script-src` or `style-src-elem`
 * with its sources plus the hashes is added. Style attributes need their hashes in
 * `style-src-attr` together with `'unsafe-hashes'`. A policy that does not restrict a kind of
 * code is left as it is for that kind.
 */
export function extendContentSecurityPolicy(header: string, hashes: InlineCodeHashes): string {
  return header
    .split(',')
    .map((policy) => extendPolicy(policy, hashes))
    .join(', ');
}

function extendPolicy(policy: string, hashes: InlineCodeHashes): string {
  const directives = parsePolicy(policy);
  addSources(directives, ['script-src-elem', 'script-src', 'default-src'], 'script-src', unique(hashes.scripts));
  addSources(directives, ['style-src-elem', 'style-src', 'default-src'], 'style-src-elem', unique(hashes.styleElements));
  addStyleAttributeHashes(directives, unique(hashes.styleAttributes));
  addSources(directives, ['img-src', 'default-src'], 'img-src', ['data:']);
  return serialisePolicy(directives);
}

/**
 * Appends `sources` to the first directive of `lookup` the policy has. When that is the fallback
 * `default-src`, the sources go into a new `create` directive that copies the fallback's list,
 * so nothing else the fallback governs gains a source.
 */
function addSources(directives: Directives, lookup: string[], create: string, sources: string[]): void {
  if (sources.length === 0) return;
  const found = lookup.find((name) => directives.has(name));
  if (!found) return;

  const existing = directives.get(found)!;
  const target = found === 'default-src' ? create : found;
  directives.set(target, mergeSources(existing, sources));
}

function addStyleAttributeHashes(directives: Directives, hashes: string[]): void {
  if (hashes.length === 0) return;
  const sources = ["'unsafe-hashes'", ...hashes];
  const attribute = directives.get('style-src-attr');
  if (attribute) {
    directives.set('style-src-attr', mergeSources(attribute, sources));
    return;
  }
  // Without style-src-attr, attributes fall back to style-src and then default-src. A new
  // style-src-attr with only these hashes allows exactly this response's attributes.
  if (directives.has('style-src') || directives.has('default-src')) directives.set('style-src-attr', sources);
}

/** `'none'` cannot be combined with other sources, so the hashes replace it. */
function mergeSources(existing: string[], sources: string[]): string[] {
  const remaining = existing.filter((source) => source.toLowerCase() !== "'none'");
  return unique([...remaining, ...sources]);
}

function parsePolicy(policy: string): Directives {
  const directives: Directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/).filter(Boolean);
    // A repeated directive is ignored by browsers after its first occurrence.
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function serialisePolicy(directives: Directives): string {
  return [...directives].map(([name, sources]) => [name, ...sources].join(' ')).join('; ');
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
