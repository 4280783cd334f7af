import type { IssueTombstone } from '@spec-kitty/core';

// Until core's store interface exports them: the agreed TombstoneRecord and listing filter.
export interface TombstoneRecord extends IssueTombstone {
  readonly origin: 'remote' | 'local';
  readonly pushed: boolean;
}

export interface TombstoneQuery {
  system?: string;
  origin?: 'remote' | 'local';
  pushed?: boolean;
}
