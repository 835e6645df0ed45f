/**
 * `COPY --link` / `ADD --link` on the containerd image store (Docker 29+'s default): there the step is a copy onto an
 * empty layer plus a merge onto the image so far, keyed apart. Each scenario builds OLD, then NEW, on the engine with
 * that store (scripts/engine.sh's second engine), and BuildKit's CACHED output must equal the prediction made with
 * `imageStore: 'containerd'` — and the copy half's own outcome what the scenario states.
 */
import { describe } from 'node:test';
import { needsContainerdEngine } from '../support/engine.js';
import { scenarioConcurrency, scenarioTests } from './engine-scenario-runner.js';
import { containerdScenarios } from './engine-scenarios.js';

describe('--link predictions equal what BuildKit prints on the containerd image store (real engine)', scenarioConcurrency, () => {
  scenarioTests(containerdScenarios, { engine: needsContainerdEngine, imageStore: 'containerd', prefix: 'link-scenario' });
});
