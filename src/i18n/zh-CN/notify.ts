/** 简体中文: the notify area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { notify as English } from '../en/notify.js';

export const notify = translation<typeof English>()({});
