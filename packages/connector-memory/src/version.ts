/** This package's version (from its package.json, fixed at build time). */
export const VERSION: string = __PACKAGE_VERSION__;
