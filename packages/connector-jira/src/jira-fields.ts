// Custom fields. Ids differ per Jira instance (`customfield_10042` here, `customfield_10117`
// there), so the mission field may be configured by *name* and is resolved through
// `GET /rest/api/3/field`, fetched at most once per connector. The field's type decides the
// wire format: multi-line text fields (`…:textarea`) take ADF in REST v3, single-line text
// fields take a plain string (the original always sent a string, which v3 rejects for textarea).
import { ConnectorConfigError, type HttpClient, type JsonValue } from '@spec-kitty/core';
import { adfPlainText } from './jira-adf';
import { fieldDetailsSchema, type JiraFieldDetails } from './jira-api-schemas';

export type MissionFieldFormat = 'adf' | 'string';

export interface ResolvedField {
  id: string;
  name: string;
  format: MissionFieldFormat;
}

function formatOf(field: JiraFieldDetails | undefined): MissionFieldFormat {
  const custom = field?.schema?.custom;
  return typeof custom === 'string' && custom.endsWith(':textarea') ? 'adf' : 'string';
}

/** Caches `GET /rest/api/3/field` and resolves custom fields by id or name. */
export class JiraFieldCatalog {
  readonly #http: HttpClient;
  #fields: Promise<JiraFieldDetails[]> | null = null;

  constructor(http: HttpClient) {
    this.#http = http;
  }

  /** All fields (one request per catalog; a failed request is retried on the next call). */
  list(): Promise<JiraFieldDetails[]> {
    if (this.#fields === null) {
      const pending = this.#http
        .request({ method: 'GET', path: '/rest/api/3/field', schema: fieldDetailsSchema })
        .then((response) => response.data);
      pending.catch(() => {
        if (this.#fields === pending) this.#fields = null;
      });
      this.#fields = pending;
    }
    return this.#fields;
  }

  async byName(name: string): Promise<ResolvedField> {
    const wanted = name.trim().toLowerCase();
    const fields = await this.list();
    const matches = fields.filter((field) => field.name.trim().toLowerCase() === wanted);
    const custom = matches.filter((field) => field.custom !== false);
    const chosen = custom.length > 0 ? custom : matches;
    if (chosen.length === 0) {
      throw new ConnectorConfigError(
        `Jira field named '${name}' was not found in GET /rest/api/3/field; check specKittyMissionFieldName (the field's display name) or set specKittyMissionFieldId (e.g. 'customfield_10042').`,
      );
    }
    if (chosen.length > 1) {
      throw new ConnectorConfigError(
        `Jira has ${chosen.length} fields named '${name}' (${chosen.map((field) => field.id).join(', ')}); set specKittyMissionFieldId to the one to use.`,
      );
    }
    const field = chosen[0] as JiraFieldDetails;
    return { id: field.id, name: field.name, format: formatOf(field) };
  }

  async byId(id: string): Promise<ResolvedField> {
    const field = (await this.list()).find((candidate) => candidate.id === id);
    return { id, name: field?.name ?? id, format: formatOf(field) };
  }
}

/** The value written to the mission field: Python-`json.dumps` text, wrapped in ADF for textarea fields. */
export function missionFieldValue(json: string, format: MissionFieldFormat): unknown {
  if (format === 'string') return json;
  return {
    type: 'doc',
    version: 1,
    content: [{ type: 'codeBlock', attrs: { language: 'json' }, content: [{ type: 'text', text: json }] }],
  };
}

/** Reads the mission field back (JSON string or ADF holding JSON); undefined when empty or not JSON. */
export function parseMissionFieldValue(value: unknown): JsonValue | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : adfPlainText(value);
  if (text.trim().length === 0) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
