/**
 * Commander's help in the chosen language, through its documented hooks (configureHelp): the
 * headings, what it adds to an option's or argument's description (default, choices …), and
 * wrapping that knows a CJK character takes two columns and that Chinese breaks between
 * characters. The usage syntax (`[options]`, `<method>`) and the terms stay as commander writes them.
 */
import { Help, type Argument, type Command, type HelpConfiguration, type Option } from 'commander';
import { t, type MessageId } from '../i18n/index.js';

const TITLES: Readonly<Record<string, MessageId>> = {
  'Usage:': 'cli.help.usage',
  'Options:': 'cli.help.options',
  'Commands:': 'cli.help.commands',
  'Arguments:': 'cli.help.arguments',
  'Global Options:': 'cli.help.globalOptions',
};

// Characters a terminal shows two columns wide: CJK ideographs and punctuation, kana, hangul, full-width forms.
const WIDE =
  '\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6';
const HAS_WIDE = new RegExp(`[${WIDE}]`);
const WIDE_CHARS = new RegExp(`[${WIDE}]`, 'g');
// A line never starts with a closing mark nor ends with an opening one.
const OPEN = '（「『《“‘【';
const CLOSE = '，。；：、）？！」』》”’】';
const CHUNK = new RegExp(`\\s*[${OPEN}]*(?:[^\\s${WIDE}]+|[${WIDE}])[${CLOSE}]*`, 'g');
// eslint-disable-next-line no-control-regex -- colour codes are what is measured out
const SGR = /\x1b\[\d*(;\d*)*m/g;

function displayWidth(text: string): number {
  const plain = text.replace(SGR, '');
  return plain.length + (plain.match(WIDE_CHARS)?.length ?? 0);
}

/**
 * Plain text (no colour codes) cut to `width` terminal columns, with "…" where it was cut: a
 * redrawn line (batch progress) that wrapped would leave its first row behind on every redraw.
 */
export function fitWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  let fitted = '';
  let used = 0;
  for (const char of text) {
    const charWidth = HAS_WIDE.test(char) ? 2 : 1;
    if (used + charWidth > width - 1) break;
    fitted += char;
    used += charWidth;
  }
  return `${fitted}…`;
}

/** Wraps at whitespace and between CJK characters, keeping existing line breaks; text without CJK as commander does. */
function boxWrap(this: Help, text: string, width: number): string {
  if (!HAS_WIDE.test(text)) return Help.prototype.boxWrap.call(this, text, width);
  if (width < this.minWidthToWrap) return text;
  const lines: string[] = [];
  for (const raw of text.split(/\r\n|\n/)) {
    const chunks = raw.match(CHUNK);
    if (chunks === null) {
      lines.push('');
      continue;
    }
    // The line's width is kept as it grows, each chunk measured once: measuring the whole line
    // again for each chunk (a chunk is one character in Chinese) was quadratic in its length.
    let line = chunks[0];
    let lineWidth = displayWidth(line);
    for (const chunk of chunks.slice(1)) {
      const chunkWidth = displayWidth(chunk);
      if (lineWidth + chunkWidth <= width) {
        line += chunk;
        lineWidth += chunkWidth;
      } else {
        lines.push(line);
        line = chunk.trimStart();
        lineWidth = displayWidth(line);
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}

/**
 * The words only help shows (descriptions of commands, options and arguments), looked up when
 * help is formatted rather than when the program is defined: a run that shows no help never looks
 * up the messages of the areas cli and config, so in English it never reads dist/cli-en.cjs
 * (scripts/cli-chunks.js) nor deserialises its cache. What that chunk cost such a run: 0.65–0.75
 * ms deserialising its cache (`node` timing vm.Script with it, 5 runs) and 0.48 ms running it
 * (`--cpu-prof` of 20 usage errors), 2026-12-02, Node 20. Whole runs: `npm run bench -- startup
 * --runs 120 --against <a build of 261d94a>`, before and after, a usage error +0.05 then +0.03, a
 * dry run 0.00 then −0.15; alternated spawns against the commit before, 150 each, put a usage
 * error anywhere from 1.2 ms faster to 0.7 ms slower (this machine's noise). Commander keeps a
 * stand-in string instead; the overrides in localisedHelp() put the words in its place.
 * test/main.test.js and the snapshots pin the help, word for word; test/i18n.test.js that such
 * runs read no dist/cli-en.cjs.
 */
export class HelpWords {
  readonly #words: (() => string)[] = [];

  /** A stand-in for the text `words` gives, for commander to keep until help is shown. */
  later(words: () => string): string {
    this.#words.push(words);
    return `${STAND_IN}${this.#words.length - 1}`;
  }

  /** The text a stand-in stands for; any other text as it is. */
  resolve(text: string): string {
    if (!text.startsWith(STAND_IN)) return text;
    const words = this.#words[Number(text.slice(STAND_IN.length))];
    return words === undefined ? text : words();
  }
}

const STAND_IN = '\u0000help-words:';

/** What commander adds after a description, from our catalogue. */
function described(description: string, extra: string[]): string {
  return extra.length > 0 ? t('cli.help.described', { description, extra }) : description;
}

const shown = (value: unknown): string => JSON.stringify(value);

function optionDescription(option: Option, words: HelpWords): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(t('cli.help.choices', { choices: t('token.list', { items: option.argChoices.map(shown) }) }));
  const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
  if (option.defaultValue !== undefined && showDefault) {
    extra.push(t('cli.help.default', { value: option.defaultValueDescription || shown(option.defaultValue) }));
  }
  if (option.presetArg !== undefined && option.optional) extra.push(t('cli.help.preset', { value: shown(option.presetArg) }));
  if (option.envVar !== undefined) extra.push(t('cli.help.env', { name: option.envVar }));
  return described(words.resolve(option.description), extra);
}

function argumentDescription(argument: Argument, words: HelpWords): string {
  const extra: string[] = [];
  if (argument.argChoices) extra.push(t('cli.help.choices', { choices: t('token.list', { items: argument.argChoices.map(shown) }) }));
  if (argument.defaultValue !== undefined) {
    extra.push(t('cli.help.default', { value: argument.defaultValueDescription || shown(argument.defaultValue) }));
  }
  return described(words.resolve(argument.description), extra);
}

/** configureHelp()'s overrides; built when the program is, in the language main() chose, with its words. */
export function localisedHelp(words: HelpWords): HelpConfiguration {
  return {
    styleTitle: (title: string): string => {
      const id = TITLES[title];
      return id === undefined ? title : t(id);
    },
    optionDescription: (option: Option): string => optionDescription(option, words),
    argumentDescription: (argument: Argument): string => argumentDescription(argument, words),
    commandDescription(this: Help, command: Command): string {
      return words.resolve(Help.prototype.commandDescription.call(this, command));
    },
    subcommandDescription(this: Help, command: Command): string {
      return words.resolve(Help.prototype.subcommandDescription.call(this, command));
    },
    // commander writes a space after the usage title; none follows a full-width colon (用法：wxpay-coupon …).
    formatHelp(this: Help, command: Command, helper: Help): string {
      const text = Help.prototype.formatHelp.call(this, command, helper);
      const title = t('cli.help.usage');
      return title.endsWith('\uff1a') && text.startsWith(`${title} `) ? title + text.slice(title.length + 1) : text;
    },
    displayWidth,
    boxWrap,
  };
}
