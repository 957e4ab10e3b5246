/**
 * The English catalogue: every message the command line shows a person, keyed by id
 * (`area.what`), kept by area. `t()` finds a message through its area, so a start never copies
 * the areas into one object (that merge cost a --help ~2 ms, `node --cpu-prof`, 2026-12-01). In
 * the command line the areas other than cli and config are loaded on first use, each with the
 * code that shows it (scripts/cli-chunks.js rewrites this file's shape: one import per area, then
 * the object).
 */
import { api } from './api.js';
import { cli } from './cli.js';
import { config } from './config.js';
import { notify } from './notify.js';
import { ops } from './ops.js';
import { token } from './token.js';

export const en = { cli, config, token, notify, api, ops };
export type Areas = typeof en;
export type Area = keyof Areas;
/** Every English message by id, as one type. */
export type English = Areas['cli'] & Areas['config'] & Areas['token'] & Areas['notify'] & Areas['api'] & Areas['ops'];
