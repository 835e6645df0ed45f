/** Every rule, one line each (registry.ts turns this list into the rule set). */
export { default as addUrlWithoutChecksum } from './add-url-without-checksum.js';
export { default as aptNoInstallRecommends } from './apt-no-install-recommends.js';
export { default as aptUpdateAlone } from './apt-update-alone.js';
export { default as cleanupInSeparateLayer } from './cleanup-in-separate-layer.js';
export { default as copyContextBeforeInstall } from './copy-context-before-install.js';
export { default as copyFromWholeFilesystem } from './copy-from-whole-filesystem.js';
export { default as earlyVolatileArg } from './early-volatile-arg.js';
export { default as packageCacheCleanup } from './package-cache-cleanup.js';
export { default as pipExternallyManaged } from './pip-externally-managed.js';
export { default as preferCacheMount } from './prefer-cache-mount.js';
export { default as splitPackageManagers } from './split-package-managers.js';
export { default as unicodeDashInFlag } from './unicode-dash-in-flag.js';
export { default as unpinnedBaseImage } from './unpinned-base-image.js';
