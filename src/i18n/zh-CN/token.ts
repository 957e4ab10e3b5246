/** 简体中文: the token area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { token as English } from '../en/token.js';

export const token = translation<typeof English>()({});
