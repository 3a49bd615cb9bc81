import * as nodeModule from 'node:module';

/*
 * Imported first by bin/app.ts, for its side effect: Node keeps the V8 code cache of every module
 * loaded after this one (aws-cdk-lib, cdk-nag, our files as sucrase emits them) in the OS temp
 * directory, keyed by content, so a changed file is compiled afresh. Every synth after the first
 * then skips most of the JavaScript compilation: about 0.2 s per synth (docs/benchmarks.md).
 * Node documents this call for command-line tools; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
 * Node before 22.1 has no such function: the app then runs as before instead of failing.
 */
(nodeModule as Partial<typeof nodeModule>).enableCompileCache?.();
