import type { Options } from 'tsup';
export declare function defineLibraryConfig(options: {
  entry: string[] | Record<string, string>;
  external?: string[];
}): Options;
