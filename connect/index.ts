export { connectSchema } from './config.ts';
export { rollupId } from './merge.ts';
export { type ConnectConfig, type ConnectHandle, startConnect } from './service.ts';
export { COLLECTIONS } from './store.ts';
