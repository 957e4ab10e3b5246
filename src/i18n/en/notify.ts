/** English messages of the notify area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const notify = {} satisfies Record<string, Message>;
