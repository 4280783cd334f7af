// Importing this module registers the "fp" connector (listed in package.json "sideEffects").
import { registerConnector } from '@spec-kitty/core';
import type { FPConnectorConfigInput } from './fp-config';
import { fpConnectorDefinition } from './fp-definition';

registerConnector(fpConnectorDefinition);

export {
  commentArgv,
  contextArgv,
  createArgv,
  dependsArgv,
  listArgv,
  showArgv,
  showJsonArgv,
  updateArgv,
} from './fp-argv';
export {
  type FPConnectorConfig,
  type FPConnectorConfigInput,
  fpConfigSchema,
  resolveFPConfig,
} from './fp-config';
export { FPConnector, type FPConnectorOptions } from './fp-connector';
export { fpConnectorDefinition } from './fp-definition';
export {
  canonicalPriorityToFp,
  extractFpId,
  FP_ID_PATTERN,
  FP_LINE_PATTERN,
  FP_SYSTEM,
  type FpLine,
  fpPriorityToCanonical,
  fpStatusToCanonical,
  parseFpLines,
  projectFpIssue,
  STATUS_TO_FP,
} from './fp-line-parser';
export { VERSION } from './version';

declare module '@spec-kitty/core' {
  interface ConnectorTypes {
    fp: FPConnectorConfigInput;
  }
}
