export { processorSchema } from './config.ts';
export { type ProcessorConfig, type ProcessorHandle, startProcessor } from './service.ts';
