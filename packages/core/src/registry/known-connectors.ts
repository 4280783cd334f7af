/** First-party connector ids → the package that registers them (used in "install X" hints). */
export const KNOWN_CONNECTOR_PACKAGES: Readonly<Record<string, string>> = Object.freeze({
  memory: '@spec-kitty/connector-memory',
  linear: '@spec-kitty/connector-linear',
  jira: '@spec-kitty/connector-jira',
  github: '@spec-kitty/connector-github',
  gitlab: '@spec-kitty/connector-gitlab',
  azure_devops: '@spec-kitty/connector-azure',
  beads: '@spec-kitty/connector-beads',
  fp: '@spec-kitty/connector-fp',
});
