/**
 * A structural validator for the part of the Adaptive Card 1.5 schema this bot emits, written from
 * the facts of the published schema (adaptivecards.io/schemas/1.5.0/adaptive-card.json): which
 * element and action types exist, which properties each allows (the schema forbids any other),
 * which are required, and the enumerations (matched case-insensitively, as the schema's patterns
 * do). No JSON-schema package with the 1.5 schema is installed (the `adaptivecards` package here is
 * 1.2.3), so this checks what we use strictly and rejects every type we do not use.
 */

type Json = unknown;
export interface Problem {
  readonly path: string;
  readonly message: string;
}

const ENUMS = {
  color: ['default', 'dark', 'light', 'accent', 'good', 'warning', 'attention'],
  fontType: ['default', 'monospace'],
  size: ['default', 'small', 'medium', 'large', 'extraLarge'],
  weight: ['default', 'lighter', 'bolder'],
  horizontalAlignment: ['left', 'center', 'right'],
  spacing: ['default', 'none', 'small', 'medium', 'large', 'extraLarge', 'padding'],
  containerStyle: ['default', 'emphasis', 'good', 'attention', 'warning', 'accent'],
  textBlockStyle: ['default', 'heading'],
  height: ['auto', 'stretch'],
  actionStyle: ['default', 'positive', 'destructive'],
  actionMode: ['primary', 'secondary'],
  verticalContentAlignment: ['top', 'center', 'bottom'],
  associatedInputs: ['auto', 'none'],
} as const;

/** Properties every element allows (Extendable.Element / ToggleableItem / Item). */
const ELEMENT_COMMON = ['type', 'fallback', 'height', 'separator', 'spacing', 'id', 'isVisible', 'requires'];
/** Properties every action allows (Extendable.Action / Item). */
const ACTION_COMMON = [
  'type',
  'title',
  'iconUrl',
  'id',
  'style',
  'fallback',
  'tooltip',
  'isEnabled',
  'mode',
  'requires',
];

const ELEMENTS: Record<string, { allowed: string[]; required: string[] }> = {
  TextBlock: {
    allowed: [
      ...ELEMENT_COMMON,
      'text',
      'color',
      'fontType',
      'horizontalAlignment',
      'isSubtle',
      'maxLines',
      'size',
      'weight',
      'wrap',
      'style',
    ],
    required: ['text'],
  },
  RichTextBlock: { allowed: [...ELEMENT_COMMON, 'inlines', 'horizontalAlignment'], required: ['inlines'] },
  FactSet: { allowed: [...ELEMENT_COMMON, 'facts'], required: ['facts'] },
  Container: {
    allowed: [
      ...ELEMENT_COMMON,
      'items',
      'selectAction',
      'style',
      'verticalContentAlignment',
      'bleed',
      'backgroundImage',
      'minHeight',
      'rtl',
    ],
    required: ['items'],
  },
  ActionSet: { allowed: [...ELEMENT_COMMON, 'actions'], required: ['actions'] },
};

const ACTIONS: Record<string, { allowed: string[]; required: string[] }> = {
  'Action.Execute': { allowed: [...ACTION_COMMON, 'verb', 'data', 'associatedInputs'], required: [] },
  'Action.Submit': { allowed: [...ACTION_COMMON, 'data', 'associatedInputs'], required: [] },
  'Action.ShowCard': { allowed: [...ACTION_COMMON, 'card'], required: [] },
  'Action.OpenUrl': { allowed: [...ACTION_COMMON, 'url'], required: ['url'] },
};

const CARD_ALLOWED = [
  'type',
  'version',
  'refresh',
  'authentication',
  'body',
  'actions',
  'selectAction',
  'fallbackText',
  'backgroundImage',
  'minHeight',
  'rtl',
  'speak',
  'lang',
  'verticalContentAlignment',
  '$schema',
];
const TEXT_RUN_ALLOWED = [
  'type',
  'text',
  'color',
  'fontType',
  'highlight',
  'isSubtle',
  'italic',
  'selectAction',
  'size',
  'strikethrough',
  'underline',
  'weight',
];

const isObject = (v: Json): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);

export function validateAdaptiveCard(card: Json): Problem[] {
  const problems: Problem[] = [];
  const bad = (path: string, message: string) => problems.push({ path, message });

  const allowedKeys = (obj: Record<string, Json>, allowed: readonly string[], path: string) => {
    for (const key of Object.keys(obj))
      if (!allowed.includes(key)) bad(`${path}.${key}`, 'property not allowed by the schema');
  };
  const oneOf = (value: Json, options: readonly string[], path: string) => {
    if (value === undefined || value === null) return;
    if (typeof value !== 'string' || !options.some((o) => o.toLowerCase() === value.toLowerCase()))
      bad(path, `must be one of ${options.join(', ')}`);
  };
  const type = (value: Json, t: 'string' | 'boolean' | 'number', path: string) => {
    if (value !== undefined && typeof value !== t) bad(path, `must be a ${t}`);
  };
  const elementCommon = (e: Record<string, Json>, path: string) => {
    oneOf(e.spacing, ENUMS.spacing, `${path}.spacing`);
    oneOf(e.height, ENUMS.height, `${path}.height`);
    type(e.separator, 'boolean', `${path}.separator`);
    type(e.isVisible, 'boolean', `${path}.isVisible`);
    type(e.id, 'string', `${path}.id`);
    if (e.fallback !== undefined && e.fallback !== 'drop') element(e.fallback, `${path}.fallback`);
  };
  const textStyle = (e: Record<string, Json>, path: string) => {
    oneOf(e.color, ENUMS.color, `${path}.color`);
    oneOf(e.fontType, ENUMS.fontType, `${path}.fontType`);
    oneOf(e.size, ENUMS.size, `${path}.size`);
    oneOf(e.weight, ENUMS.weight, `${path}.weight`);
    if (e.isSubtle !== null) type(e.isSubtle, 'boolean', `${path}.isSubtle`);
  };

  function element(e: Json, path: string): void {
    if (!isObject(e) || typeof e.type !== 'string') return void bad(path, 'an element needs a type');
    const spec = ELEMENTS[e.type];
    if (!spec) return void bad(path, `element type ${e.type} is not one this bot emits or not in 1.5`);
    allowedKeys(e, spec.allowed, path);
    for (const r of spec.required) if (e[r] === undefined) bad(`${path}.${r}`, 'required');
    elementCommon(e, path);
    switch (e.type) {
      case 'TextBlock':
        type(e.text, 'string', `${path}.text`);
        if (typeof e.text === 'string' && e.text.length === 0) bad(`${path}.text`, 'empty text');
        textStyle(e, path);
        oneOf(e.horizontalAlignment, ENUMS.horizontalAlignment, `${path}.horizontalAlignment`);
        oneOf(e.style, ENUMS.textBlockStyle, `${path}.style`);
        type(e.wrap, 'boolean', `${path}.wrap`);
        type(e.maxLines, 'number', `${path}.maxLines`);
        return;
      case 'RichTextBlock':
        if (!Array.isArray(e.inlines)) return void bad(`${path}.inlines`, 'must be an array');
        e.inlines.forEach((run, i) => {
          const p = `${path}.inlines[${i}]`;
          if (typeof run === 'string') return;
          if (!isObject(run) || run.type !== 'TextRun') return void bad(p, 'an inline is a TextRun');
          allowedKeys(run, TEXT_RUN_ALLOWED, p);
          if (typeof run.text !== 'string' || run.text.length === 0) bad(`${p}.text`, 'required, non-empty');
          textStyle(run, p);
        });
        return;
      case 'FactSet':
        if (!Array.isArray(e.facts)) return void bad(`${path}.facts`, 'must be an array');
        e.facts.forEach((f, i) => {
          const p = `${path}.facts[${i}]`;
          if (!isObject(f)) return void bad(p, 'a fact is an object');
          allowedKeys(f, ['type', 'title', 'value'], p);
          if (typeof f.title !== 'string') bad(`${p}.title`, 'required string (1.5 says title, not name)');
          if (typeof f.value !== 'string') bad(`${p}.value`, 'required string');
        });
        return;
      case 'Container':
        oneOf(e.style, ENUMS.containerStyle, `${path}.style`);
        oneOf(e.verticalContentAlignment, ENUMS.verticalContentAlignment, `${path}.verticalContentAlignment`);
        type(e.bleed, 'boolean', `${path}.bleed`);
        if (!Array.isArray(e.items)) return void bad(`${path}.items`, 'must be an array');
        e.items.forEach((item, i) => element(item, `${path}.items[${i}]`));
        return;
      case 'ActionSet':
        if (!Array.isArray(e.actions)) return void bad(`${path}.actions`, 'must be an array');
        e.actions.forEach((a, i) => action(a, `${path}.actions[${i}]`));
        return;
    }
  }

  function action(a: Json, path: string): void {
    if (!isObject(a) || typeof a.type !== 'string') return void bad(path, 'an action needs a type');
    const spec = ACTIONS[a.type];
    if (!spec) return void bad(path, `action type ${a.type} is not one this bot emits or not in 1.5`);
    allowedKeys(a, spec.allowed, path);
    for (const r of spec.required) if (a[r] === undefined) bad(`${path}.${r}`, 'required');
    type(a.title, 'string', `${path}.title`);
    oneOf(a.style, ENUMS.actionStyle, `${path}.style`);
    oneOf(a.mode, ENUMS.actionMode, `${path}.mode`);
    oneOf(a.associatedInputs, ENUMS.associatedInputs, `${path}.associatedInputs`);
    type(a.isEnabled, 'boolean', `${path}.isEnabled`);
    type(a.verb, 'string', `${path}.verb`);
    if (a.data !== undefined && typeof a.data !== 'string' && !isObject(a.data))
      bad(`${path}.data`, 'must be a string or an object');
    if (a.fallback !== undefined && a.fallback !== 'drop') action(a.fallback, `${path}.fallback`);
    if (a.type === 'Action.ShowCard') {
      if (!isObject(a.card)) bad(`${path}.card`, 'a ShowCard needs a card');
      else cardAt(a.card, `${path}.card`, false);
    }
  }

  function cardAt(c: Json, path: string, topLevel: boolean): void {
    if (!isObject(c)) return void bad(path, 'a card is an object');
    allowedKeys(c, CARD_ALLOWED, path);
    if (c.type !== 'AdaptiveCard') bad(`${path}.type`, 'must be AdaptiveCard');
    // "Version is not required for cards within an Action.ShowCard. However, it is required for the top-level card."
    if (topLevel && typeof c.version !== 'string') bad(`${path}.version`, 'required at the top level');
    type(c.fallbackText, 'string', `${path}.fallbackText`);
    if (c.body !== undefined) {
      if (!Array.isArray(c.body)) bad(`${path}.body`, 'must be an array');
      else c.body.forEach((e, i) => element(e, `${path}.body[${i}]`));
    }
    if (c.actions !== undefined) {
      if (!Array.isArray(c.actions)) bad(`${path}.actions`, 'must be an array');
      else c.actions.forEach((a, i) => action(a, `${path}.actions[${i}]`));
    }
  }

  cardAt(card, '$', true);
  if (isObject(card) && card.version !== '1.5') bad('$.version', 'this bot sends 1.5 (Universal Actions)');
  return problems;
}
