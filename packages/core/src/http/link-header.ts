// RFC 8288 `Link` headers (`<url>; rel="next", <url>; rel="last"`), as GitHub and GitLab send
// them for pagination. Commas inside `<…>` or quoted parameters do not split links.

/** One link of an RFC 8288 `Link` header. */
export interface LinkValue {
  /** The target, exactly as written between `<` and `>`. */
  readonly url: string;
  /** The relation types, lower-cased (`rel="next last"` gives both). */
  readonly rel: readonly string[];
  /** Every other parameter, names lower-cased, quotes removed. */
  readonly params: Readonly<Record<string, string>>;
}

function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inUrl = false;
  let inQuotes = false;
  for (const char of text) {
    if (char === '<' && !inQuotes) inUrl = true;
    else if (char === '>' && !inQuotes) inUrl = false;
    else if (char === '"' && !inUrl) inQuotes = !inQuotes;
    if (char === separator && !inUrl && !inQuotes) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** Every link in a `Link` header (none for null, empty or unparsable input). */
export function parseLinkHeader(header: string | null | undefined): LinkValue[] {
  if (!header) return [];
  const links: LinkValue[] = [];
  for (const part of splitOutside(header, ',')) {
    const match = /^\s*<([^>]*)>\s*(?:;(.*))?$/s.exec(part);
    if (!match) continue;
    const params: Record<string, string> = {};
    let rel: string[] = [];
    for (const param of splitOutside(match[2] ?? '', ';')) {
      const pair = /^\s*([^=\s]+)\s*(?:=\s*(?:"([^"]*)"|([^\s"]*)))?\s*$/.exec(param);
      if (!pair?.[1]) continue;
      const name = pair[1].toLowerCase();
      const value = pair[2] ?? pair[3] ?? '';
      // RFC 8288: only the first occurrence of `rel` counts.
      if (name === 'rel') {
        if (!('rel' in params)) rel = value.toLowerCase().split(/\s+/).filter(Boolean);
      }
      if (!(name in params)) params[name] = value;
    }
    const { rel: _rel, ...others } = params;
    links.push({ url: match[1] ?? '', rel, params: others });
  }
  return links;
}

/** The URL of the first link with relation `rel` (e.g. `next`), or null. */
export function findLinkUrl(header: string | null | undefined, rel: string): string | null {
  const wanted = rel.toLowerCase();
  return parseLinkHeader(header).find((link) => link.rel.includes(wanted))?.url ?? null;
}
