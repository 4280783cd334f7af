/** This package's version. */
export const VERSION: string = __PACKAGE_VERSION__;
