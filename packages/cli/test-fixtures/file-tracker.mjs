// A test-only connector (id "file-tracker"): the reference in-memory tracker persisted to a JSON
// file, so separate CLI processes see one tracker. Loaded through "connectorPackage" (a file URL).
// Config: { file: string, workspace?: string, failUpdates?: boolean, listDelayMs?: number }
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InMemoryConnector } from '@spec-kitty/connector-memory';
import {
  CONNECTOR_PROTOCOL_VERSION,
  ConnectorRequestError,
  issueFromJSON,
  issueToJSON,
  registerConnector,
} from '@spec-kitty/core';

async function allIssues(inner) {
  const issues = [];
  let cursor = null;
  do {
    const page = await inner.listIssues({ updatedSince: null, cursor, limit: 500 });
    issues.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return issues;
}

class FileTracker {
  constructor(config) {
    this.config = config;
    this.inner = new InMemoryConnector({ name: 'file-tracker', workspace: config.workspace ?? 'files' });
    this.name = this.inner.name;
    if (existsSync(config.file)) {
      for (const json of JSON.parse(readFileSync(config.file, 'utf8'))) this.inner.seed(issueFromJSON(json));
    }
  }
  async save() {
    writeFileSync(this.config.file, JSON.stringify((await allIssues(this.inner)).map(issueToJSON), null, 2));
  }
  getCapabilities() {
    return this.inner.getCapabilities();
  }
  async listIssues(query) {
    if (this.config.listDelayMs) await new Promise((resolve) => setTimeout(resolve, this.config.listDelayMs));
    return this.inner.listIssues(query);
  }
  getIssue(ref) {
    return this.inner.getIssue(ref);
  }
  async createIssue(issue, options) {
    const created = await this.inner.createIssue(issue, options);
    await this.save();
    return created;
  }
  async updateIssue(ref, patch, options) {
    if (this.config.failUpdates) {
      throw new ConnectorRequestError('HTTP 422: the tracker rejected the update', {
        statusCode: 422,
        provider: this.name,
      });
    }
    const updated = await this.inner.updateIssue(ref, patch, options);
    await this.save();
    return updated;
  }
  async transitionIssue(ref, target) {
    const updated = await this.inner.transitionIssue(ref, target);
    await this.save();
    return updated;
  }
  async upsertLink(ref, link) {
    await this.inner.upsertLink(ref, link);
    await this.save();
  }
  async addComment(ref, body) {
    await this.inner.addComment(ref, body);
    await this.save();
  }
  listEvents(query) {
    return this.inner.listEvents(query);
  }
}

registerConnector({
  id: 'file-tracker',
  displayName: 'File tracker (tests)',
  protocolVersion: CONNECTOR_PROTOCOL_VERSION,
  packageName: 'file-tracker-fixture',
  packageVersion: '0.0.0',
  mode: 'direct',
  configSchema: {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate(value) {
        if (typeof value !== 'object' || value === null || typeof value.file !== 'string') {
          return { issues: [{ message: 'file must be a path', path: ['file'] }] };
        }
        return { value };
      },
    },
  },
  create: (config) => new FileTracker(config),
});
