/** 简体中文: the ops area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { ops as English } from '../en/ops.js';

export const ops = translation<typeof English>()({});
