/** 简体中文: the api area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { api as English } from '../en/api.js';

export const api = translation<typeof English>()({});
