/** 简体中文: the config area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { config as English } from '../en/config.js';

export const config = translation<typeof English>()({});
