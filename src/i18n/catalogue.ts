/**
 * The types that keep the catalogues in step. English (src/i18n/en) is the source: each message
 * is a string, or a function of its parameters when it has any. A translation must have every
 * message of the English catalogue and no other, each a string where English has a string and a
 * function of exactly the same parameters where English has a function — otherwise `tsc` fails,
 * so a message missing from a language, or taking other parameters, never reaches a run.
 */
export type Message = string | ((...args: never[]) => string);

/** A message's parameters: none for a string. */
export type MessageArgs<M> = M extends (...args: infer A) => string ? A : [];

// The standard exact-equality test of two types: the T parameters exist only for the comparison.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** What a translation of the English messages E looks like. */
export type Translation<E> = { readonly [K in keyof E]: E[K] extends string ? string : E[K] };

/** Every key of Z is one of E's, and each of Z's functions takes exactly E's parameters. */
type Exactly<E, Z> = {
  [K in keyof Z]: K extends keyof E
    ? E[K] extends string
      ? string
      : Equal<MessageArgs<Z[K]>, MessageArgs<E[K]>> extends true
        ? Z[K]
        : { parametersDifferFromEnglish: K }
    : never;
};

/**
 * Checks a translation of E at compile time: `translation<typeof en>()({ … })`. Parameters need
 * no annotation: they take English's types.
 */
export function translation<E>() {
  return <Z extends Translation<E>>(messages: Z & Exactly<E, Z>): Translation<E> => messages;
}

/** English plurals: `plural(2, 'line')` is "2 lines". Chinese needs none. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${String(count)} ${count === 1 ? singular : pluralForm}`;
}
