/** `yum`: see rpm.ts for what the RHEL-family managers share. */
import { rpmLike } from './rpm.js';

export const yumManager = rpmLike('yum');
