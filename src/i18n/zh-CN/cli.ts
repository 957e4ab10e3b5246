/** 简体中文: the cli area (see src/i18n/index.ts and docs/glossary.md). */
import { translation } from '../catalogue.js';
import type { cli as English } from '../en/cli.js';

export const cli = translation<typeof English>()({
  'cli.option.lang': '消息和帮助的语言：en 或 zh-CN（环境变量 WXPAY_LANG，其次 LC_ALL、LC_MESSAGES、LANG）',
  'cli.lang.unsupported': (p) => `${p.source}${p.value === undefined ? '' : ` '${p.value}'`} 不是本工具支持的语言；请选择 en 或 zh-CN`,
});
