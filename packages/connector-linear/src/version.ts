/** This package's version (from its package.json, fixed at build time). */
export const VERSION: string = __PACKAGE_VERSION__;

/** `<package>@<version>`, the `User-Agent` product the HTTP client sends (`spec-kitty-tracker/…`). */
export const PACKAGE_ID: string = `${__PACKAGE_NAME__}@${__PACKAGE_VERSION__}`;
