// The package's public runtime surface: the definition, the connector class and VERSION only
// (schemas, parsers, argv builders and mapping helpers stay internal; tests import their files).
import { describe, expect, it } from 'vitest';
import * as surface from './index';

describe('public surface', () => {
  it('index exports exactly the definition, the connector class and VERSION', () => {
    expect(Object.keys(surface).sort()).toEqual(
      ['AzureDevOpsConnector', 'VERSION', 'azureConnectorDefinition'].sort(),
    );
  });
});
