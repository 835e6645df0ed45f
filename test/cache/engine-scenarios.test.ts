/**
 * Real BuildKit against predict(): each scenario builds OLD, then NEW, on the engine at DOCKER_HOST, and every step's
 * CACHED status BuildKit printed for NEW must equal the prediction (and the scenario's stated expectation).
 */
import { describe } from 'node:test';
import { needsEngine } from '../support/engine.js';
import { scenarioConcurrency, scenarioTests } from './engine-scenario-runner.js';
import { scenarios } from './engine-scenarios.js';

describe('cache predictions equal what BuildKit prints (real engine)', scenarioConcurrency, () => {
  scenarioTests(scenarios, { engine: needsEngine, imageStore: 'overlay2', prefix: 'cache-scenario' });
});
