/** The English catalogue: every message the command line shows a person, keyed by id (`area.what`). */
import { api } from './api.js';
import { cli } from './cli.js';
import { config } from './config.js';
import { notify } from './notify.js';
import { ops } from './ops.js';
import { token } from './token.js';

export const en = { ...cli, ...config, ...token, ...notify, ...api, ...ops };
export type English = typeof en;
