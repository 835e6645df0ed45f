/** `tdnf` (Photon OS, Azure Linux): dnf's command line in C; see rpm.ts for what the RHEL-family managers share. */
import { rpmLike } from './rpm.js';

export const tdnfManager = rpmLike('tdnf');
