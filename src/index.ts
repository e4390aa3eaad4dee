/** postclick's module API (docs/api.md, Module API). Importing it reads no browser global and stores nothing. */
export { init, reset } from './init';
export { capture, getClickId } from './capture';
export { conversion, conversionUrl } from './conversion';
export { consent } from './consent';
export type { Config, Conversion, Result, Status, Transport } from './types';
export type { PostclickCommand } from './window';
