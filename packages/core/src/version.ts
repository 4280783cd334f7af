export const PACKAGE_NAME: string = __PACKAGE_NAME__;
export const VERSION: string = __PACKAGE_VERSION__;
