export { AzureDevOpsFake, type AzureFakeOptions } from './azure-fake';
export { type AzureSpecValidator, loadAzureSpecValidator } from './azure-spec';
export {
  AGILE_STATES,
  type AzureComment,
  type AzureProject,
  type AzureRelation,
  AzureState,
  type AzureStateOptions,
  type AzureWorkItem,
} from './azure-state';
export { parseWiql, type WiqlCondition, WiqlError, type WiqlQuery } from './azure-wiql';
