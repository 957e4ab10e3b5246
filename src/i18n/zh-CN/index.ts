/**
 * The Simplified Chinese catalogue, by area as the English one. Loaded only when Chinese is
 * chosen (src/i18n/index.ts); in the command line it is in chunks of its own, dist/cli-zh-CN*.cjs,
 * and its areas other than cli and config are loaded on first use (scripts/cli-chunks.js).
 */
import type { Translation } from '../catalogue.js';
import type { Areas } from '../en/index.js';
import { api } from './api.js';
import { cli } from './cli.js';
import { config } from './config.js';
import { notify } from './notify.js';
import { ops } from './ops.js';
import { token } from './token.js';

export const zhCN: { readonly [A in keyof Areas]: Translation<Areas[A]> } = { cli, config, token, notify, api, ops };
