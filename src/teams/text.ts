// Care for text users wrote before it goes into a card: Adaptive Card TextBlocks render a markdown
// subset, so "**", "[x](url)" or a leading "- " in a question must show as typed, not as formatting.

/** Backslash-escapes the markdown Teams renders in TextBlocks and FactSet values. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\\`*_{}[\]()<>~|!#]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.');
}

/** Cuts text to a length, ending in an ellipsis when cut. */
export function limit(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Teams sends mentions as <at>Name</at>; what is left once the bot's own mention is removed. */
export function stripAtTags(value: string): string {
  return value.replace(/<at>([^<]*)<\/at>/g, '$1').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
}
