// Learns from scored outcomes how to correct the knowledge base's stated probabilities (one model per
// failure mode): Platt scaling on the log-odds, shrunk toward "trust the knowledge base" when data is thin.
import { InputError } from '../errors.js';
import type { BinaryForecast } from './types.js';
import { assertBinaryForecasts, assertProbability, clipProbability } from './validate.js';

/** p' = σ(a + b·logit(p)); n is how many outcomes it was fitted on. (a, b) = (0, 1) is the identity. */
export interface RecalibrationModel {
  a: number;
  b: number;
  n: number;
}

export interface RecalibrationOptions {
  /** How many observations' worth of belief in the identity map; default DEFAULT_PRIOR_STRENGTH. */
  priorStrength?: number;
}

/** Below this many outcomes the knowledge base's own probabilities are used unchanged. */
export const MIN_OUTCOMES_TO_RECALIBRATE = 20;
export const DEFAULT_PRIOR_STRENGTH = 10;

/** Absolute ridge added to the prior so the Newton system stays solvable in every case (see below). */
const RIDGE = 1e-3;
const MAX_ITERATIONS = 50;
const TOLERANCE = 1e-10;

const IDENTITY = { a: 0, b: 1 } as const;

/**
 * Fisher information of one observation at the identity, averaged over forecasts spread evenly on
 * p = 0.05, 0.10, …, 0.95: mean of w·(1, x)(1, x)ᵀ with x = logit(p), w = p(1 − p). The grid is fixed
 * rather than taken from the sample because the model is applied to every future p: if the few past
 * forecasts all sat near p = 0.1, a sample-based prior would barely restrain the slope, and the fit
 * could swing the 0.9 answers on no evidence about them. The grid is symmetric, so i12 is 0 up to
 * round-off: the penalty is a plain weighted L2 on a and on b − 1.
 */
const PRIOR_INFO = (() => {
  let i11 = 0;
  let i12 = 0;
  let i22 = 0;
  const grid = Array.from({ length: 19 }, (_, k) => 0.05 * (k + 1));
  for (const p of grid) {
    const w = p * (1 - p);
    const x = Math.log(p / (1 - p));
    i11 += w;
    i12 += w * x;
    i22 += w * x * x;
  }
  return { i11: i11 / grid.length, i12: i12 / grid.length, i22: i22 / grid.length };
})();

function sigmoid(z: number): number {
  // Two branches so exp never overflows for large |z|.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** ln(1 + e^z) without overflow. */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

function logit(p: number): number {
  const q = clipProbability(p);
  return Math.log(q / (1 - q));
}

/**
 * Fits (a, b) by maximising the penalised log-likelihood
 *   Σ [y·z − ln(1 + e^z)] − ½ (θ − θ₀)ᵀ P (θ − θ₀),   z = a + b·logit(p), θ₀ = (0, 1).
 * The Gaussian penalty's precision is P = priorStrength · I₀ + ridge, where I₀ is the Fisher
 * information of one observation at the identity over a fixed grid of forecasts (PRIOR_INFO). That
 * makes `priorStrength` "this many extra observations, spread over the probability scale, that all
 * agreed with the knowledge base" — it is the quadratic approximation of exactly that. With 5 outcomes
 * and strength 10 the fit stays close to the identity; with 2,000 it is all but the maximum-likelihood
 * fit. Scaling the penalty by I₀, rather than using one λ for both, weighs a unit of slope against a
 * unit of intercept by how much each actually moves the probabilities. The ridge keeps P positive
 * definite when priorStrength is 0 (then separable data would otherwise diverge).
 *
 * The objective is strictly concave, so Newton's method from the identity, with step halving whenever a
 * step fails to improve it, converges; it runs a fixed, data-determined sequence (deterministic), and
 * separable data (all-0 or all-1 outcomes) cannot run off to infinity because the penalty bounds it.
 */
export function fitRecalibration(
  samples: readonly BinaryForecast[],
  options: RecalibrationOptions = {},
): RecalibrationModel {
  assertBinaryForecasts(samples);
  const strength = options.priorStrength ?? DEFAULT_PRIOR_STRENGTH;
  if (!(strength >= 0 && Number.isFinite(strength))) {
    throw new InputError(`priorStrength must be a finite number >= 0, got ${strength}`);
  }
  const n = samples.length;
  if (n === 0) return { ...IDENTITY, n: 0 };

  const xs = samples.map((s) => logit(s.p));
  const ys = samples.map((s) => s.outcome);

  const p11 = strength * PRIOR_INFO.i11 + RIDGE;
  const p12 = strength * PRIOR_INFO.i12;
  const p22 = strength * PRIOR_INFO.i22 + RIDGE;

  const objective = (a: number, b: number): number => {
    let ll = 0;
    for (let i = 0; i < n; i++) {
      const z = a + b * (xs[i] as number);
      ll += (ys[i] as number) * z - softplus(z);
    }
    const da = a - IDENTITY.a;
    const db = b - IDENTITY.b;
    return ll - 0.5 * (p11 * da * da + 2 * p12 * da * db + p22 * db * db);
  };

  let a: number = IDENTITY.a;
  let b: number = IDENTITY.b;
  let current = objective(a, b);
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    // Gradient g and negative Hessian H of the penalised log-likelihood.
    const da = a - IDENTITY.a;
    const db = b - IDENTITY.b;
    let g1 = -(p11 * da + p12 * db);
    let g2 = -(p12 * da + p22 * db);
    let h11 = p11;
    let h12 = p12;
    let h22 = p22;
    for (let i = 0; i < n; i++) {
      const x = xs[i] as number;
      const s = sigmoid(a + b * x);
      const r = (ys[i] as number) - s;
      const w = s * (1 - s);
      g1 += r;
      g2 += r * x;
      h11 += w;
      h12 += w * x;
      h22 += w * x * x;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(det > 0)) break; // cannot happen with the ridge; guards against round-off all the same
    const stepA = (h22 * g1 - h12 * g2) / det;
    const stepB = (h11 * g2 - h12 * g1) / det;

    // Step halving: take the largest fraction of the Newton step that does not lower the objective.
    let t = 1;
    let accepted = false;
    for (let k = 0; k < 40; k++, t /= 2) {
      const nextA = a + t * stepA;
      const nextB = b + t * stepB;
      const value = objective(nextA, nextB);
      if (value >= current) {
        a = nextA;
        b = nextB;
        current = value;
        accepted = true;
        break;
      }
    }
    if (!accepted || Math.abs(t * stepA) + Math.abs(t * stepB) < TOLERANCE) break;
  }

  // Belt and braces: a model that cannot be applied is worse than none.
  if (!Number.isFinite(a) || !Number.isFinite(b)) return { ...IDENTITY, n };
  return { a, b, n };
}

/** Recalibrated probability, strictly inside (0, 1) (clipped to [1e-6, 1 − 1e-6]). */
export function applyRecalibration(model: RecalibrationModel, p: number): number {
  assertProbability(p);
  if (!Number.isFinite(model.a) || !Number.isFinite(model.b)) {
    throw new InputError(`recalibration model must have finite a and b, got ${model.a}, ${model.b}`);
  }
  return clipProbability(sigmoid(model.a + model.b * logit(p)));
}

/**
 * The fitted model, or null when there are fewer than `minOutcomes` outcomes — then the knowledge
 * base's probabilities are used as they are. The prior already makes small fits cautious; the threshold
 * additionally keeps a handful of outcomes from changing answers users see at all.
 */
export function recalibrationFor(
  samples: readonly BinaryForecast[],
  minOutcomes = MIN_OUTCOMES_TO_RECALIBRATE,
  options: RecalibrationOptions = {},
): RecalibrationModel | null {
  if (samples.length < minOutcomes) return null;
  return fitRecalibration(samples, options);
}
