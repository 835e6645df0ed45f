/** `dnf`: see rpm.ts for what the RHEL-family managers share. */
import { rpmLike } from './rpm.js';

export const dnfManager = rpmLike('dnf');
