// The shape of the knowledge base: one zod schema per file kind, so a broken file is refused
// with the file and the field named before anything is served.
import { z } from 'zod';

const id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a kebab-case id (a-z, 0-9 and -)');

/** Answer condition: every listed question must have one of the listed choices. */
export const conditionSchema = z.record(id, z.array(id).min(1));
export type Condition = z.infer<typeof conditionSchema>;

const choiceSchema = z.strictObject({
  id,
  label: z.string().min(1).max(75),
});

const questionSchema = z.strictObject({
  id,
  text: z.string().min(5).max(150),
  help: z.string().max(300).optional(),
  choices: z.array(choiceSchema).min(2).max(8),
  /** Asked only when the answers so far satisfy this condition. */
  when: conditionSchema.optional(),
});
export type Question = z.infer<typeof questionSchema>;

/** A rule that moves a failure mode's odds when the answers match. */
const riskRuleSchema = z.strictObject({
  when: conditionSchema,
  /** Multiplier on the odds p/(1-p): 2 doubles the odds, 0.5 halves them. */
  odds: z.number().positive().max(20),
  why: z.string().min(5).max(200),
});

const severity = z.enum(['low', 'medium', 'high']);

const failureModeSchema = z.strictObject({
  id,
  name: z.string().min(3).max(80),
  description: z.string().min(10).max(400),
  base: z.number().gt(0).lt(1),
  severity,
  horizonMonths: z.number().int().min(1).max(60),
  /** What someone would see in production if it happened: the check-in asks about this. */
  sign: z.string().min(10).max(250),
  rules: z.array(riskRuleSchema).min(1),
  source: z.string().min(3),
});
export type FailureMode = z.infer<typeof failureModeSchema>;

/** Multiplies a range when the answers match. */
const scaleRuleSchema = z.strictObject({
  when: conditionSchema,
  factor: z.number().positive().max(20),
  why: z.string().min(5).max(200),
});

const rangeShape = {
  low: z.number().nonnegative(),
  likely: z.number().positive(),
  high: z.number().positive(),
};

const costComponentSchema = z
  .strictObject({
    id,
    name: z.string().min(3).max(80),
    /** Hidden-cost category from knowledge/cost-categories.yaml. */
    category: id,
    ...rangeShape,
    scales: z.string().min(5).max(200),
    rules: z.array(scaleRuleSchema).default([]),
    source: z.string().min(3),
  })
  .refine((c) => c.low <= c.likely && c.likely <= c.high, {
    message: 'expected low <= likely <= high',
  });

const timeSchema = z
  .strictObject({
    ...rangeShape,
    rules: z.array(scaleRuleSchema).default([]),
    source: z.string().min(3),
  })
  .refine((t) => t.low <= t.likely && t.likely <= t.high, {
    message: 'expected low <= likely <= high',
  });

const alternativeSchema = z.strictObject({
  id,
  name: z.string().min(3).max(80),
  summary: z.string().min(10).max(300),
  fits: z.string().min(5).max(200),
  /** Answers for which this alternative is the one to recommend first. */
  bestWhen: conditionSchema.optional(),
  source: z.string().min(3),
});

const storySchema = z.strictObject({
  id,
  title: z.string().min(3).max(100),
  text: z.string().min(10).max(600),
  source: z.string().min(3),
});

export const topicSchema = z.strictObject({
  id,
  title: z.string().min(3).max(80),
  claim: z.string().min(5).max(200),
  summary: z.string().min(10).max(500),
  triggers: z.strictObject({
    /** Words and phrases, lower case; a phrase matches as consecutive words. */
    phrases: z.array(z.string().min(2)).min(3),
    products: z.array(z.string().min(2)).default([]),
  }),
  /**
   * Words people use for this topic that its text does not (products, libraries, jargon). Detection
   * indexes them with the rest of the topic's text; unlike triggers they are evidence, not proof.
   */
  vocabulary: z.array(z.string().min(2)).default([]),
  questions: z.array(questionSchema).min(5).max(8),
  failureModes: z.array(failureModeSchema).min(3),
  cost: z.strictObject({
    unit: z.literal('USD'),
    basis: z.string().min(5).max(200),
    components: z.array(costComponentSchema).min(2),
  }),
  time: timeSchema,
  alternatives: z.array(alternativeSchema).min(2),
  stories: z.array(storySchema).default([]),
  /** Ids in knowledge/scaling-cliffs.yaml and knowledge/org-limits.yaml. */
  cliffs: z.array(id).default([]),
  orgLimits: z.array(id).default([]),
  source: z.string().min(3),
});
export type Topic = z.infer<typeof topicSchema>;

export const cliffCatalogueSchema = z.strictObject({
  kind: z.literal('scaling-cliffs'),
  cliffs: z
    .array(
      z.strictObject({
        id,
        component: z.string().min(3),
        threshold: z.string().min(3),
        symptoms: z.array(z.string().min(3)).min(1),
        fixes: z.array(z.string().min(3)).min(1),
        source: z.string().min(3),
      }),
    )
    .min(1),
});

export const costCategoryCatalogueSchema = z.strictObject({
  kind: z.literal('cost-categories'),
  categories: z
    .array(
      z.strictObject({
        id,
        group: z.enum(['development', 'operational', 'human', 'organisational']),
        name: z.string().min(3),
        description: z.string().min(5),
        source: z.string().min(3),
      }),
    )
    .min(1),
  examples: z
    .array(
      z.strictObject({
        id,
        title: z.string().min(3),
        lines: z.array(z.strictObject({ item: z.string().min(2), figure: z.string().min(2) })).min(1),
        source: z.string().min(3),
      }),
    )
    .default([]),
});

export const orgLimitCatalogueSchema = z.strictObject({
  kind: z.literal('org-limits'),
  limits: z
    .array(
      z.strictObject({
        id,
        area: z.string().min(3),
        statement: z.string().min(5),
        consequence: z.string().min(5),
        source: z.string().min(3),
      }),
    )
    .min(1),
});

const phraseList = z.array(z.string().min(1).max(60)).min(1);

/**
 * The language of questions, shared by every topic: words that mean the same thing (the first of a group
 * is the form detection reads), what marks a decision being weighed, and what marks everyday chatter.
 */
export const vocabularyCatalogueSchema = z.strictObject({
  kind: z.literal('vocabulary'),
  synonyms: z.array(z.array(z.string().min(1).max(60)).min(2)).min(1),
  decisionCues: phraseList,
  chatter: phraseList,
});
export type VocabularyCatalogue = z.infer<typeof vocabularyCatalogueSchema>;

export type CliffCatalogue = z.infer<typeof cliffCatalogueSchema>;
export type CostCategoryCatalogue = z.infer<typeof costCategoryCatalogueSchema>;
export type OrgLimitCatalogue = z.infer<typeof orgLimitCatalogueSchema>;

export const TOPIC_IDS = [
  'kubernetes',
  'microservices',
  'distributed-database',
  'ml-model-serving',
  'prompt-pipeline',
  'zero-trust',
  'general',
] as const;
export type TopicId = (typeof TOPIC_IDS)[number];
