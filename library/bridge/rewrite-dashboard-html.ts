import { createHash } from 'node:crypto';

import type { InlineCodeHashes } from './extend-content-security-policy';

/**
 * The third-party URLs @pg-boss/dashboard 1.9 puts into its pages: the root route links a
 * Google Fonts stylesheet and preconnects to fonts.googleapis.com and fonts.gstatic.com.
 */
const offSiteFontUrl = /https:\/\/fonts\.(?:googleapis|gstatic)\.com[^\s"'`<>]*/g;

export interface RewrittenHtml {
  html: string;
  hashes: InlineCodeHashes;
}

/**
 * Points the dashboard's off-site font URLs at `replacement`, a stylesheet on the host, so an
 * operator's browser sends no request to another site. It applies to the HTML and to the client
 * module that renders the same `<link>` elements. React compares a link's `href` when it
 * hydrates the page, and a mismatch makes it render the whole page again without the banner.
 */
export function replaceOffSiteFontUrls(text: string, replacement: string): string {
  return text.replace(offSiteFontUrl, replacement);
}

/**
 * Rewrites one HTML page of the dashboard: the off-site font URLs go to `stylesheetUrl`, the
 * stylesheet is linked in `<head>`, and `banner` comes first in `<body>` (first in the document
 * when there is no body tag). React 19 skips an element it did not render when it hydrates the
 * children of `<head>` and `<body>`, so the banner and the link stay. It does not skip a text
 * node, so the banner goes in without surrounding whitespace. Returns the hashes of the
 * result's inline code for the Content-Security-Policy.
 */
export function rewriteDashboardHtml(html: string, banner: string, stylesheetUrl: string): RewrittenHtml {
  let rewritten = replaceOffSiteFontUrls(html, escapeAttribute(stylesheetUrl));
  rewritten = insertBefore(rewritten, /<\/head\s*>/i, `<link rel="stylesheet" href="${escapeAttribute(stylesheetUrl)}"/>`);

  const element = banner.trim();
  const body = /<body\b[^>]*>/i.exec(rewritten);
  rewritten = body
    ? rewritten.slice(0, body.index + body[0].length) + element + rewritten.slice(body.index + body[0].length)
    : element + rewritten;

  return { html: rewritten, hashes: hashInlineCode(rewritten) };
}

function insertBefore(html: string, marker: RegExp, element: string): string {
  const found = marker.exec(html);
  return found ? html.slice(0, found.index) + element + html.slice(found.index) : element + html;
}

/**
 * Hashes inline code as browsers do: a script's or style element's text exactly as written,
 * and a style attribute's value after its character references are decoded.
 */
export function hashInlineCode(html: string): InlineCodeHashes {
  const scripts: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    if (/\ssrc\s*=/i.test(` ${match[1]}`)) continue;
    if (match[2] !== '') scripts.push(sha256Source(match[2]));
  }

  const styleElements: string[] = [];
  for (const match of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style\s*>/gi)) styleElements.push(sha256Source(match[1]));

  const styleAttributes: string[] = [];
  for (const match of html.matchAll(/<[a-z][^\s>/]*\s(?:[^>]*?\s)?style=(?:"([^"]*)"|'([^']*)')/gi)) {
    styleAttributes.push(sha256Source(decodeCharacterReferences(match[1] ?? match[2])));
  }

  return { scripts, styleElements, styleAttributes };
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Decodes the references React writes into attribute values, and numeric ones in general. */
function decodeCharacterReferences(value: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
    }
    return named[name.toLowerCase()] ?? reference;
  });
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
