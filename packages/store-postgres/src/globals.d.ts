// Injected by the shared tsup / vitest presets (tooling/*-config) at build and test time.
declare const __PACKAGE_NAME__: string;
declare const __PACKAGE_VERSION__: string;
