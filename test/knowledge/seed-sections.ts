// Every section of the source document (shared/seed), the key knowledge files cite it by in `source`,
// and the figures from it that must survive into the knowledge base's text.
export interface SeedSection {
  key: string;
  heading: string;
  figures: string[];
}

export const SEED_SECTIONS: SeedSection[] = [
  { key: 'core/deployment-reality', heading: 'Key Functions > Deployment Reality Checks', figures: [] },
  { key: 'core/failure-prediction', heading: 'Key Functions > Failure Mode Prediction', figures: [] },
  { key: 'core/scaling-bottlenecks', heading: 'Key Functions > Scaling Bottleneck Analysis', figures: [] },
  { key: 'core/operational-complexity', heading: 'Key Functions > Operational Complexity Assessment', figures: [] },

  { key: 'db/theory', heading: 'Database Scaling Reality > The Theory', figures: [] },
  { key: 'db/split-brain', heading: 'Database Scaling Reality > Split-brain scenarios', figures: [] },
  { key: 'db/consistency-model', heading: 'Database Scaling Reality > Consistency model complexity', figures: [] },
  { key: 'db/operational-nightmares', heading: 'Database Scaling Reality > Operational nightmares', figures: [] },
  { key: 'db/what-works', heading: 'Database Scaling Reality > What Actually Works', figures: [] },

  { key: 'ms/theory', heading: 'Microservices Reality Check > The Theory', figures: [] },
  { key: 'ms/network-unreliable', heading: 'Microservices > Network is unreliable', figures: ['10-100ms', '10-20%'] },
  { key: 'ms/data-consistency', heading: 'Microservices > Data consistency nightmares', figures: [] },
  { key: 'ms/debugging', heading: 'Microservices > Debugging becomes exponentially harder', figures: ['5-10 services'] },
  { key: 'ms/team-coordination', heading: 'Microservices > Team coordination overhead', figures: [] },
  { key: 'ms/what-scales', heading: 'Microservices > What Actually Scales', figures: [] },

  { key: 'k8s/theory', heading: 'Container Orchestration Experience > The Theory', figures: [] },
  { key: 'k8s/learning-curve', heading: 'Container Orchestration > Learning curve is brutal', figures: ['6-12 months'] },
  { key: 'k8s/operational-complexity', heading: 'Container Orchestration > Operational complexity explodes', figures: [] },
  { key: 'k8s/security', heading: 'Container Orchestration > Security becomes exponentially more complex', figures: [] },
  { key: 'k8s/hidden-costs', heading: 'Container Orchestration > Hidden costs are substantial', figures: ['20-40%'] },
  { key: 'k8s/what-works', heading: 'Container Orchestration > What Actually Works', figures: [] },

  { key: 'ml/theory', heading: 'Model Serving Reality > Theory', figures: [] },
  { key: 'ml/cold-start', heading: 'Model Serving > Cold Start Problems', figures: ['30-120 seconds'] },
  { key: 'ml/resource-management', heading: 'Model Serving > Resource Management Nightmares', figures: [] },
  { key: 'ml/inference-latency', heading: 'Model Serving > Inference Latency Issues', figures: ['10-100x'] },
  { key: 'ml/monitoring-gaps', heading: 'Model Serving > Operational Monitoring Gaps', figures: [] },

  { key: 'prompt/theory', heading: 'Prompt Engineering Pipeline Reality > Theory', figures: [] },
  { key: 'prompt/version-control', heading: 'Prompt Pipeline > Version Control Nightmares', figures: [] },
  { key: 'prompt/testing', heading: 'Prompt Pipeline > Testing Complexity', figures: [] },
  { key: 'prompt/monitoring', heading: 'Prompt Pipeline > Production Monitoring', figures: [] },
  { key: 'prompt/human-workflow', heading: 'Prompt Pipeline > Human-AI Workflow Integration', figures: [] },

  { key: 'zt/theory', heading: 'Zero Trust Architecture Deployment > Theory', figures: [] },
  { key: 'zt/iam', heading: 'Zero Trust > Identity and Access Management Complexity', figures: [] },
  { key: 'zt/network-segmentation', heading: 'Zero Trust > Network Segmentation Operational Burden', figures: [] },
  { key: 'zt/monitoring-compliance', heading: 'Zero Trust > Monitoring and Compliance Overhead', figures: [] },
  { key: 'zt/user-experience', heading: 'Zero Trust > User Experience and Productivity Impact', figures: ['15-30%'] },

  { key: 'cost/development', heading: 'Hidden Cost Categories > Development Costs', figures: [] },
  { key: 'cost/operational', heading: 'Hidden Cost Categories > Operational Costs', figures: [] },
  { key: 'cost/human', heading: 'Hidden Cost Categories > Human Costs', figures: [] },
  { key: 'cost/organisational', heading: 'Hidden Cost Categories > Organizational Costs', figures: [] },
  { key: 'cost/example-microservices', heading: 'Realistic Cost Examples > Microservices Migration', figures: ['$2M', '$500K', '$800K', '$1M', '30%'] },
  { key: 'cost/example-ml-platform', heading: 'Realistic Cost Examples > AI/ML Platform', figures: ['$100K', '$1.5M', '$300K', '$500K', '6-month'] },

  { key: 'cliff/db-connections', heading: 'Common Scaling Cliffs > Database Connection Pools', figures: ['1,000'] },
  { key: 'cliff/service-discovery', heading: 'Common Scaling Cliffs > Service Discovery', figures: ['500'] },
  { key: 'cliff/log-aggregation', heading: 'Common Scaling Cliffs > Log Aggregation', figures: ['10 GB'] },
  { key: 'cliff/container-orchestration', heading: 'Common Scaling Cliffs > Container Orchestration', figures: ['1,000 pods'] },

  { key: 'org/communication', heading: "Conway's Law > Communication Overhead", figures: [] },
  { key: 'org/knowledge-distribution', heading: "Conway's Law > Knowledge Distribution", figures: ['6-12 months'] },
  { key: 'org/decision-latency', heading: "Conway's Law > Decision Making Latency", figures: [] },
  { key: 'org/technology-adoption', heading: "Conway's Law > Technology Adoption Patterns", figures: [] },
];
