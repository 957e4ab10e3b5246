/** English messages of the api area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const api = {} satisfies Record<string, Message>;
