// A deterministic "remote" per binding for worker tests and benchmarks: every worker process
// builds the same tracker from the binding's config, so any of them can run any binding.
//   config.issues    how many issues (default 10)
//   config.revision  bump it to change every title and timestamp (a remote update)
//   config.delayMs   pause before each listing page (makes runs long enough to interrupt)

import { InMemoryConnector } from '@spec-kitty/connector-memory';
import { CanonicalIssueType, CanonicalStatus, createIssue, createRef } from '@spec-kitty/core';

export function expectedTitle(bindingId, index, revision) {
  return `Issue ${index} of ${bindingId} r${revision}`;
}

export function seededMemoryFactory(binding) {
  const count = Number(binding.config.issues ?? 10);
  const revision = Number(binding.config.revision ?? 1);
  const delayMs = Number(binding.config.delayMs ?? 0);
  const connector = new InMemoryConnector({ name: 'memory', workspace: binding.id });
  const updatedAt = new Date(Date.UTC(2026, 0, 1) + revision * 86_400_000);
  for (let index = 0; index < count; index += 1) {
    connector.seed(
      createIssue({
        ref: createRef({
          system: 'memory',
          workspace: binding.id,
          id: `i-${String(index).padStart(5, '0')}`,
        }),
        title: expectedTitle(binding.id, index, revision),
        body: `Body ${index}`,
        status: CanonicalStatus.TODO,
        issueType: CanonicalIssueType.TASK,
        labels: ['seeded'],
        createdAt: new Date(Date.UTC(2026, 0, 1)),
        updatedAt,
      }),
    );
  }
  if (delayMs > 0) {
    const list = connector.listIssues.bind(connector);
    connector.listIssues = async (query) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return list(query);
    };
  }
  return connector;
}
