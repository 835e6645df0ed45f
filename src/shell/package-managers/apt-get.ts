/** `apt-get` (Debian, Ubuntu): see debian.ts for what the apt tools share. */
import { aptLike } from './debian.js';

export const aptGetManager = aptLike('apt-get');
