// fanzha/client/middleware: records staff tools' reads of customer data as data.accessed events
// (docs/client.md, "Middleware for staff tools").
export { AccessRecorder, type AccessRecorderOptions, type RecorderStats, type UnreachablePolicy } from './recorder.ts';
export { fanzhaExpress, fanzhaKoa, fanzhaFastify, type MiddlewareOptions } from './adapters.ts';
export { compileRules, matchRule, type AccessRule, type AccessField, type AccessMatch } from './access-rules.ts';
export { DiskBuffer } from './disk-buffer.ts';
