/** English messages of the ops area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const ops = {} satisfies Record<string, Message>;
