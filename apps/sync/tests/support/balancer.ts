import { afterAll } from 'vitest';
import { killAll } from '../../../../scripts/lib/cluster.ts';

// Whatever a test file started (HAProxy, Redis) dies with it, even when a test fails half way.
afterAll(killAll);

export { findCommand, startBalancer, startRedis, type Balancer, type RedisServer } from '../../../../scripts/lib/cluster.ts';
