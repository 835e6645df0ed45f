/**
 * `RUN --security=insecure` on a real engine that grants the security.insecure entitlement (scripts/engine.sh's
 * second engine): prediction equals BuildKit where the engine's frontend knows the flag; where it does not (Docker
 * 28.5: BuildKit 0.25's stable frontend), the test proves that exact refusal — after the entitlement was granted.
 */
import { describe } from 'node:test';
import { needsContainerdEngine } from '../support/engine.js';
import { scenarioConcurrency, scenarioTests } from './engine-scenario-runner.js';
import { securityScenarios } from './engine-scenarios.js';

describe(
  'RUN --security predictions equal what BuildKit prints (real engine granting security.insecure)',
  scenarioConcurrency,
  () => {
    scenarioTests(securityScenarios, { engine: needsContainerdEngine, imageStore: 'containerd', prefix: 'security-scenario' });
  },
);
