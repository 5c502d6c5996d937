/**
 * What other code and tests may use from the agent: building payloads from series (so an end-to-end
 * test can run synthetic agents through the same code), the buffer contract, the sender and its retry
 * policy, the delta state and the seq allocator.
 */
export { Agent, type AgentOptions } from './agent.ts';
export { type BufferedPayload, type DropReason, MemoryQueue, type PayloadBuffer } from './buffer.ts';
export { HostCollector, type HostCollectorOptions, type Pass } from './collect/host.ts';
export { type CounterSampleOut, CounterState } from './counters.ts';
export { type AgentMetrics, createAgentMetrics } from './metrics.ts';
export * as model from './model.ts';
export {
  buildPayloads,
  countSamples,
  type EncodedPayload,
  type HostInfo,
  type PayloadContext,
  passToSeries,
} from './payload.ts';
export { DEFAULT_POLICY, type RetryPolicy, type Verdict } from './retry.ts';
export { Sender, type SenderOptions } from './sender.ts';
export { SEQ_BLOCK, SeqAllocator, type SeqStore } from './seq.ts';
export { StateDir, writeFileAtomicSync } from './state.ts';
