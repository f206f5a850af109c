// A valid set of kubernetes answers shared by the tests (team under 10, so the conditional
// shared-clusters question does not apply).
export const KUBERNETES_ANSWERS: Record<string, string> = {
  'team-size': 'under-10',
  'platform-team': 'none',
  'k8s-experience': 'none',
  hosting: 'managed',
  'service-count': '1-5',
  stateful: 'none',
  oncall: 'none',
};
