/** English messages of the config area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const config = {} satisfies Record<string, Message>;
