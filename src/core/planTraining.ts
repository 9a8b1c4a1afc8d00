/**
 * The plan of `sei-contas training <ORGAO>...`: only the training environment of the named órgãos (their
 * OUs, per-órgão groups nested into the PSO group, the accounts and memberships). It is assemblePlan with
 * no people, so apply and the training command can never plan training differently.
 */
import type { DirectorySnapshot } from '../domain/directory.js';
import type { NamingPolicy } from '../domain/policy.js';
import type { Plan } from '../domain/plan.js';
import { assemblePlan } from './assemblePlan.js';

/** The same rule the forms apply to the órgão column: 2–10 letters or digits, uppercased. */
const ORGAO = /^[A-Z0-9]{2,10}$/;

/** Siglas as typed on the command line: trimmed, uppercased, deduplicated (order kept); the unusable ones apart. */
export function normaliseTrainingOrgaos(raw: readonly string[]): { orgaos: string[]; invalid: string[] } {
  const orgaos: string[] = [];
  const invalid: string[] = [];
  for (const r of raw) {
    const orgao = r.trim().toUpperCase();
    if (!ORGAO.test(orgao)) invalid.push(r);
    else if (!orgaos.includes(orgao)) orgaos.push(orgao);
  }
  return { orgaos, invalid };
}

export interface PlanTrainingInput {
  /** Already normalised (normaliseTrainingOrgaos). */
  orgaos: string[];
  snapshot: DirectorySnapshot;
  policy: NamingPolicy;
  /** ISO time: the plan's createdAt. */
  now: string;
}

/** Pure and deterministic, like assemblePlan: órgãos are sorted so the order typed does not reorder the plan. */
export function planTraining(input: PlanTrainingInput): Plan {
  const orgaos = [...new Set(input.orgaos)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return assemblePlan({ people: [], snapshot: input.snapshot, policy: input.policy, inputs: [], now: input.now, trainingOrgaos: orgaos });
}
