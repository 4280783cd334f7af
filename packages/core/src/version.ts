/** `@spec-kitty/core`. */
export const PACKAGE_NAME: string = __PACKAGE_NAME__;
/** This package's version. */
export const VERSION: string = __PACKAGE_VERSION__;
