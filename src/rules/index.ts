/** Every rule, one line each (registry.ts turns this list into the rule set). */
export { default as addUrlWithoutChecksum } from './add-url-without-checksum.js';
export { default as copyFromWholeFilesystem } from './copy-from-whole-filesystem.js';
export { default as earlyVolatileArg } from './early-volatile-arg.js';
export { default as unpinnedBaseImage } from './unpinned-base-image.js';
