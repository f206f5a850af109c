// Just enough Adaptive Card 1.5 typing for the cards this bot sends, plus the size guard: Teams
// refuses a card over 28 KB, so every builder goes through fitCard before it leaves.

export const CARD_VERSION = '1.5';
export const CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const MAX_CARD_BYTES = 28 * 1024;
export const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  weight?: 'Default' | 'Lighter' | 'Bolder';
  size?: 'Small' | 'Default' | 'Medium' | 'Large' | 'ExtraLarge';
  color?: 'Default' | 'Dark' | 'Light' | 'Accent' | 'Good' | 'Warning' | 'Attention';
  isSubtle?: boolean;
  spacing?: 'None' | 'Small' | 'Default' | 'Medium' | 'Large';
  separator?: boolean;
  id?: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
}

export interface Choice {
  title: string;
  value: string;
}

export interface ChoiceSetInput {
  type: 'Input.ChoiceSet';
  id: string;
  label?: string;
  choices: Choice[];
  style?: 'compact' | 'expanded';
  value?: string;
  placeholder?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

export interface NumberInput {
  type: 'Input.Number';
  id: string;
  label?: string;
  min?: number;
  value?: number;
  placeholder?: string;
}

export interface TextInput {
  type: 'Input.Text';
  id: string;
  label?: string;
  isMultiline?: boolean;
  maxLength?: number;
  placeholder?: string;
  value?: string;
}

export interface ToggleInput {
  type: 'Input.Toggle';
  id: string;
  title: string;
  value?: string;
  valueOn?: string;
  valueOff?: string;
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  separator?: boolean;
  spacing?: TextBlock['spacing'];
  id?: string;
}

export interface ActionSet {
  type: 'ActionSet';
  actions: SubmitAction[];
}

export type CardElement = TextBlock | FactSet | ChoiceSetInput | NumberInput | TextInput | ToggleInput | Container | ActionSet;

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: Record<string, unknown>;
  style?: 'default' | 'positive' | 'destructive';
  associatedInputs?: 'auto' | 'none';
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: SubmitAction[];
  fallbackText?: string;
  msteams?: { width: 'Full' };
}

export interface CardAttachment {
  contentType: typeof CARD_CONTENT_TYPE;
  content: AdaptiveCard;
}

export function card(body: CardElement[], actions: SubmitAction[] = [], fallbackText?: string): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: CARD_SCHEMA,
    version: CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
    ...(fallbackText ? { fallbackText } : {}),
    msteams: { width: 'Full' },
  };
}

export function attachment(content: AdaptiveCard): CardAttachment {
  return { contentType: CARD_CONTENT_TYPE, content };
}

export function cardBytes(content: AdaptiveCard): number {
  return Buffer.byteLength(JSON.stringify(attachment(content)), 'utf8');
}

export const text = (value: string, extra: Omit<TextBlock, 'type' | 'text'> = {}): TextBlock => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

/**
 * Drops body elements from the end (never the inputs' actions) until the card fits Teams' limit,
 * and says so in a last line. Builders keep normal cards far below it; this is the backstop.
 */
export function fitCard(content: AdaptiveCard, maxBytes = MAX_CARD_BYTES): AdaptiveCard {
  if (cardBytes(content) <= maxBytes) return content;
  const note = text('(Shortened to fit in a Teams message.)', { isSubtle: true, size: 'Small' });
  const body = [...content.body];
  while (body.length > 1) {
    body.pop();
    const candidate = { ...content, body: [...body, note] };
    if (cardBytes(candidate) <= maxBytes) return candidate;
  }
  return { ...content, body: [note] };
}
