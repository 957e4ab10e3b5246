/** English messages of the token area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const token = {} satisfies Record<string, Message>;
