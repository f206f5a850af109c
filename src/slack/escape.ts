// Slack mrkdwn escaping and Block Kit's length limits. Everything a user wrote goes through
// escapeText, so nobody can make the bot ping @channel, @here or a user by echoing <!channel>.

/** Slack's three control characters: with them escaped, <!here> and <@U123> become plain text. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cuts text to a Block Kit limit, ending in an ellipsis when cut. */
export function limit(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const LIMITS = {
  sectionText: 3000,
  plainLabel: 2000,
  header: 150,
  optionText: 75,
  buttonText: 75,
  messageBlocks: 50,
  modalBlocks: 100,
  modalTitle: 24,
  privateMetadata: 3000,
  actionValue: 2000,
} as const;
