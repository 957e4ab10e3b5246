/** English messages of the cli area (see src/i18n/index.ts): the source every translation follows. */
import type { Message } from '../catalogue.js';

export const cli = {
  'cli.option.lang': 'language of messages and help: en or zh-CN (env: WXPAY_LANG, then LC_ALL, LC_MESSAGES, LANG)',
  'cli.lang.unsupported': (p: { source: string; value: string | undefined }) =>
    `${p.source}${p.value === undefined ? '' : ` '${p.value}'`} is not a language this tool speaks; choose en or zh-CN`,
} satisfies Record<string, Message>;
